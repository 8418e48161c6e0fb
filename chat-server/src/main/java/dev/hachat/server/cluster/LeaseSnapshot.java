package dev.hachat.server.cluster;

import dev.hachat.store.InstanceRecord;
import java.util.concurrent.TimeUnit;

/**
 * The own lease at one moment (docs/consistency.md, R1, R7): whether one is held, until when, its
 * generation, when its quarantine ends, whether the instance stopped for good, and the last record
 * it wrote. Times are local monotonic nanos; whether the lease is valid <em>now</em> is asked with
 * a clock reading, so a snapshot taken before a lapse answers right after it too.
 *
 * <p>Immutable: {@link OwnLease} replaces it on its context, any thread reads it.
 *
 * @param held a lease was gained and not lost since (a lapse is noticed by the next tick)
 * @param generation raised with every loss and at the stop; a session acknowledges only under the
 *     generation it was taken in (R2)
 * @param untilNanos the lease ends here: {@code lease} after the start of the last heartbeat that
 *     gained or renewed it
 * @param quarantineUntilNanos no new ownership before this (R7)
 * @param stopped dropped for good by a graceful stop: never valid again
 * @param lastSelf the last record of this instance the registry accepted; {@code null} before
 */
public record LeaseSnapshot(
    boolean held,
    long generation,
    long untilNanos,
    long quarantineUntilNanos,
    boolean stopped,
    InstanceRecord lastSelf) {

  /** Before the first heartbeat: no lease, generation 0. */
  static final LeaseSnapshot NONE =
      new LeaseSnapshot(false, 0, Long.MIN_VALUE, Long.MIN_VALUE, false, null);

  /** True while this instance may acknowledge writes (quarantine aside). */
  public boolean valid(long nowNanos) {
    return held && nowNanos - untilNanos < 0;
  }

  /** True while no lease is valid, or one is but its quarantine is not over. */
  public boolean inQuarantine(long nowNanos) {
    return !valid(nowNanos) || nowNanos - quarantineUntilNanos < 0;
  }

  /** Milliseconds of quarantine left of the lease valid now (0 if none, or without a lease). */
  public long quarantineLeftMillis(long nowNanos) {
    if (!valid(nowNanos)) {
      return 0;
    }
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(quarantineUntilNanos - nowNanos) + 1);
  }

  /** True while the lease is valid and still of {@code taken}. */
  public boolean canAcknowledge(long taken, long nowNanos) {
    return valid(nowNanos) && generation == taken;
  }

  /** The registry accepted {@code record}; the lease itself is unchanged. */
  LeaseSnapshot wrote(InstanceRecord record) {
    return new LeaseSnapshot(held, generation, untilNanos, quarantineUntilNanos, stopped, record);
  }

  /** Extended to {@code until} (never shortened) by a heartbeat while the lease held. */
  LeaseSnapshot renewed(InstanceRecord record, long until) {
    return new LeaseSnapshot(
        held, generation, Math.max(untilNanos, until), quarantineUntilNanos, stopped, record);
  }

  /** A new lease until {@code until}, quarantined until {@code quarantineUntil}. */
  LeaseSnapshot gained(InstanceRecord record, long until, long quarantineUntil) {
    return new LeaseSnapshot(true, generation, until, quarantineUntil, stopped, record);
  }

  /** The lapse noticed: not held, the next generation. */
  LeaseSnapshot lost() {
    return new LeaseSnapshot(
        false, generation + 1, untilNanos, quarantineUntilNanos, stopped, lastSelf);
  }

  /** Dropped for good (graceful stop). */
  LeaseSnapshot dropped() {
    return new LeaseSnapshot(
        false, generation + 1, Long.MIN_VALUE, quarantineUntilNanos, true, lastSelf);
  }
}
