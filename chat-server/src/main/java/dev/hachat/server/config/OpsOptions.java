package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/**
 * Operator procedures: how a graceful stop (SIGTERM) drains and hands chats over, and how long one
 * chat's hand-over may take (docs/operations.md).
 */
public class OpsOptions {
  /**
   * Default {@code stop-drain-time}: 0, a SIGTERM evacuates the open chats at once (hands them to
   * other instances) instead of waiting for them to end.
   */
  public static final int DEFAULT_STOP_DRAIN_TIME = 0;

  /**
   * Default {@code stop-timeout}: milliseconds from the first SIGTERM after which the instance
   * stops at once, whatever is left (a second SIGTERM does the same).
   */
  public static final int DEFAULT_STOP_TIMEOUT = 60_000;

  /**
   * Default {@code hand-over-timeout}: milliseconds one chat's hand-over may wait for its last
   * saves and the release of its ownership before it stays here.
   */
  public static final int DEFAULT_HAND_OVER_TIMEOUT = 10_000;

  @DurationUnit(ChronoUnit.MILLIS)
  private int stopDrainTime = DEFAULT_STOP_DRAIN_TIME;

  @DurationUnit(ChronoUnit.MILLIS)
  private int stopTimeout = DEFAULT_STOP_TIMEOUT;

  @DurationUnit(ChronoUnit.MILLIS)
  private int handOverTimeout = DEFAULT_HAND_OVER_TIMEOUT;

  /** Milliseconds a SIGTERM waits for chats to end before it evacuates the rest. */
  public int getStopDrainTime() {
    return stopDrainTime;
  }

  public OpsOptions setStopDrainTime(int v) {
    this.stopDrainTime = v;
    return this;
  }

  public int getStopTimeout() {
    return stopTimeout;
  }

  public OpsOptions setStopTimeout(int v) {
    this.stopTimeout = v;
    return this;
  }

  public int getHandOverTimeout() {
    return handOverTimeout;
  }

  public OpsOptions setHandOverTimeout(int v) {
    this.handOverTimeout = v;
    return this;
  }

  void validate() {
    ConfigException.check(stopDrainTime >= 0, "ops.stop-drain-time", "must be >= 0 ms");
    ConfigException.check(
        stopTimeout > stopDrainTime,
        "ops.stop-timeout",
        "must be greater than ops.stop-drain-time (it bounds the whole stop)");
    ConfigException.check(handOverTimeout >= 100, "ops.hand-over-timeout", "must be >= 100 ms");
  }
}
