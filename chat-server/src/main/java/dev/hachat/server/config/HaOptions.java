package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** High availability: heartbeats, restore and purge (Genesys option names where they exist). */
public class HaOptions {
  /** Restoration modes (Genesys {@code session-restoration-mode}). */
  public enum RestorationMode {
    /** Sessions of a dead instance are not restored. */
    NONE,
    /** Any instance restores a session whose owner is dead, on the first request for it. */
    SIMPLE
  }

  /** Default {@code session-restoration-mode}: simple (Genesys: none). */
  public static final RestorationMode DEFAULT_SESSION_RESTORATION_MODE = RestorationMode.SIMPLE;

  /** Default {@code session-restore-do-purge}: drop stale copies at once (Genesys: false). */
  public static final boolean DEFAULT_SESSION_RESTORE_DO_PURGE = true;

  /** Default {@code heartbeat-interval}: milliseconds between heartbeats. */
  public static final int DEFAULT_HEARTBEAT_INTERVAL = 500;

  /** Default {@code heartbeat-timeout}: milliseconds without a heartbeat before "dead". */
  public static final int DEFAULT_HEARTBEAT_TIMEOUT = 3000;

  /** Default {@code orphan-sweep-interval}: milliseconds between sweeps for orphaned chats. */
  public static final int DEFAULT_ORPHAN_SWEEP_INTERVAL = 10_000;

  /**
   * Default {@code orphan-close-after}: milliseconds after an owner is found dead before its heir
   * closes the chats nobody resumed ({@code OWNER_LOST}).
   */
  public static final int DEFAULT_ORPHAN_CLOSE_AFTER = 300_000;

  /** Default {@code orphan-sweep-concurrency}: orphans adopted at once by one instance. */
  public static final int DEFAULT_ORPHAN_SWEEP_CONCURRENCY = 8;

  /** Default {@code proactive-restore}: restore a dead instance's chats at once. */
  public static final boolean DEFAULT_PROACTIVE_RESTORE = true;

  /** Default {@code proactive-restore-concurrency}: proactive restores at once per instance. */
  public static final int DEFAULT_PROACTIVE_RESTORE_CONCURRENCY = 16;

  /** Default {@code restore-concurrency}: restores one instance runs at once, of every kind. */
  public static final int DEFAULT_RESTORE_CONCURRENCY = 32;

  private int restoreConcurrency = DEFAULT_RESTORE_CONCURRENCY;
  private boolean proactiveRestore = DEFAULT_PROACTIVE_RESTORE;
  private int proactiveRestoreConcurrency = DEFAULT_PROACTIVE_RESTORE_CONCURRENCY;

  @DurationUnit(ChronoUnit.MILLIS)
  private int orphanSweepInterval = DEFAULT_ORPHAN_SWEEP_INTERVAL;

  @DurationUnit(ChronoUnit.MILLIS)
  private int orphanCloseAfter = DEFAULT_ORPHAN_CLOSE_AFTER;

  private int orphanSweepConcurrency = DEFAULT_ORPHAN_SWEEP_CONCURRENCY;
  private RestorationMode sessionRestorationMode = DEFAULT_SESSION_RESTORATION_MODE;
  private boolean sessionRestoreDoPurge = DEFAULT_SESSION_RESTORE_DO_PURGE;

  @DurationUnit(ChronoUnit.MILLIS)
  private int heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;

  @DurationUnit(ChronoUnit.MILLIS)
  private int heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;

  public RestorationMode getSessionRestorationMode() {
    return sessionRestorationMode;
  }

  public HaOptions setSessionRestorationMode(RestorationMode v) {
    this.sessionRestorationMode = v;
    return this;
  }

  public boolean isSessionRestoreDoPurge() {
    return sessionRestoreDoPurge;
  }

  public HaOptions setSessionRestoreDoPurge(boolean v) {
    this.sessionRestoreDoPurge = v;
    return this;
  }

  public int getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public HaOptions setHeartbeatInterval(int v) {
    this.heartbeatInterval = v;
    return this;
  }

  public int getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  public HaOptions setHeartbeatTimeout(int v) {
    this.heartbeatTimeout = v;
    return this;
  }

  public int getRestoreConcurrency() {
    return restoreConcurrency;
  }

  public HaOptions setRestoreConcurrency(int v) {
    this.restoreConcurrency = v;
    return this;
  }

  public boolean isProactiveRestore() {
    return proactiveRestore;
  }

  public HaOptions setProactiveRestore(boolean v) {
    this.proactiveRestore = v;
    return this;
  }

  public int getProactiveRestoreConcurrency() {
    return proactiveRestoreConcurrency;
  }

  public HaOptions setProactiveRestoreConcurrency(int v) {
    this.proactiveRestoreConcurrency = v;
    return this;
  }

  public int getOrphanSweepInterval() {
    return orphanSweepInterval;
  }

  public HaOptions setOrphanSweepInterval(int v) {
    this.orphanSweepInterval = v;
    return this;
  }

  public int getOrphanCloseAfter() {
    return orphanCloseAfter;
  }

  public HaOptions setOrphanCloseAfter(int v) {
    this.orphanCloseAfter = v;
    return this;
  }

  public int getOrphanSweepConcurrency() {
    return orphanSweepConcurrency;
  }

  public HaOptions setOrphanSweepConcurrency(int v) {
    this.orphanSweepConcurrency = v;
    return this;
  }

  /**
   * How long an owner may acknowledge after the start of its last successful heartbeat: timeout − 3
   * × interval. Safety needs timeout ≥ lease + 1.5 × interval (docs/consistency.md); the other 1.5
   * intervals are margin for clock-rate drift and scheduling.
   */
  public long leaseMillis() {
    return heartbeatTimeout - 3L * heartbeatInterval;
  }

  /**
   * How long a registry view stays fresh, counted from the <em>start</em> of the poll that read it:
   * 2.5 × interval (a poll every interval, one of them may fail or be slow). An instance declares
   * no other dead on an older view. Safety needs lease + fresh ≤ timeout, with 0.5 × interval to
   * spare (docs/consistency.md, R3).
   */
  public long viewFreshMillis() {
    return 5L * heartbeatInterval / 2;
  }

  /**
   * The quarantine after an instance gains or regains its lease (also at start): 4 × interval,
   * counted from the start of the heartbeat that gained it. Meanwhile it creates, claims and
   * acknowledges nothing. Safety needs quarantine ≥ interval (the heartbeat write) + fresh, so that
   * every fresh view of the others shows the new heartbeat before this instance owns anything; 0.5
   * × interval to spare (docs/consistency.md, R7).
   */
  public long quarantineMillis() {
    return 4L * heartbeatInterval;
  }

  void validate() {
    ConfigException.check(
        sessionRestorationMode != null, "ha.session-restoration-mode", "none or simple");
    ConfigException.check(heartbeatInterval >= 50, "ha.heartbeat-interval", "must be >= 50 ms");
    ConfigException.check(
        heartbeatTimeout >= 4 * heartbeatInterval,
        "ha.heartbeat-timeout",
        "must be at least 4 times ha.heartbeat-interval");
    ConfigException.check(
        orphanSweepInterval >= 100, "ha.orphan-sweep-interval", "must be >= 100 ms");
    ConfigException.check(orphanCloseAfter >= 0, "ha.orphan-close-after", "must be >= 0 ms");
    ConfigException.check(
        orphanSweepConcurrency >= 1, "ha.orphan-sweep-concurrency", "must be >= 1");
    ConfigException.check(
        proactiveRestoreConcurrency >= 1, "ha.proactive-restore-concurrency", "must be >= 1");
    ConfigException.check(restoreConcurrency >= 1, "ha.restore-concurrency", "must be >= 1");
  }
}
