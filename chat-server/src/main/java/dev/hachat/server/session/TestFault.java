package dev.hachat.server.session;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test only: a fault built into the instance on purpose, so that a test can prove the chaos loop's
 * history checker sees what a broken build would do ({@code CheckerCatchesFaultsIT}). Read once,
 * from the system property {@value #PROPERTY}, when the class is first used (at start); never set
 * it anywhere else: each value breaks a promise of docs/consistency.md.
 *
 * <p>Threading: immutable.
 */
enum TestFault {
  /** No fault (the property is unset or empty). */
  NONE,
  /**
   * {@code ack-before-save}: messages are acknowledged as soon as they are appended, before the
   * store holds them, and the save's outcome is not waited for; saves go out {@link
   * #WRITE_BEHIND_MILLIS} late (write-behind): a kill -9 within that time loses them. (Without the
   * delay the write is on its way to Cassandra, which completes it after the kill, before the
   * acknowledgement even reached the client: a kill would hardly ever lose anything.)
   */
  ACK_BEFORE_SAVE,
  /**
   * {@code skip-epoch-fence}: saved batches are acknowledged although the lease they were taken
   * under lapsed (R2) or the store fenced the epoch, and a lost lease fences nothing (R1): a paused
   * owner goes on acknowledging after another instance claimed its chats.
   */
  SKIP_EPOCH_FENCE;

  static final String PROPERTY = "hachat-test-fault";

  /** How late {@link #ACK_BEFORE_SAVE} sends each save. */
  static final long WRITE_BEHIND_MILLIS = 500;

  private static final Logger LOG = LoggerFactory.getLogger(TestFault.class);
  private static final TestFault ACTIVE = parse(System.getProperty(PROPERTY));

  /** Whether this fault is switched on in this process. */
  boolean on() {
    return this != NONE && ACTIVE == this;
  }

  /** {@code ack-before-save} → {@link #ACK_BEFORE_SAVE}; unknown values are refused. */
  static TestFault parse(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    for (TestFault f : values()) {
      if (f != NONE && f.name().equals(name)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        PROPERTY + ": unknown fault '" + value + "' (ack-before-save, skip-epoch-fence)");
  }

  /** Logs the fault switched on, if any, loudly: such an instance must never serve anyone. */
  static void warnIfOn(String instanceId) {
    if (ACTIVE != NONE) {
      LOG.warn(
          "[{}] TEST FAULT {}={} IS ON: this instance breaks its consistency promises on purpose;"
              + " for tests of the chaos checker only, never in production",
          instanceId,
          PROPERTY,
          ACTIVE.name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
  }
}
