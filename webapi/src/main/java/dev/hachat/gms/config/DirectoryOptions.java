package dev.hachat.gms.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** How the web API server watches the instance registry. */
public class DirectoryOptions {
  /** Default {@code poll-interval}: milliseconds between reads of the instance registry. */
  public static final int DEFAULT_POLL_INTERVAL = 500;

  /**
   * Default {@code heartbeat-timeout}: milliseconds without a new heartbeat before an instance
   * counts as dead here; use the instances' {@code ha.heartbeat-timeout}.
   */
  public static final int DEFAULT_HEARTBEAT_TIMEOUT = 3000;

  @DurationUnit(ChronoUnit.MILLIS)
  private int pollInterval = DEFAULT_POLL_INTERVAL;

  @DurationUnit(ChronoUnit.MILLIS)
  private int heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;

  public int getPollInterval() {
    return pollInterval;
  }

  public DirectoryOptions setPollInterval(int v) {
    this.pollInterval = v;
    return this;
  }

  public int getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  public DirectoryOptions setHeartbeatTimeout(int v) {
    this.heartbeatTimeout = v;
    return this;
  }

  void validate() {
    ConfigException.check(pollInterval >= 10, "directory.poll-interval", "must be >= 10 ms");
    ConfigException.check(
        heartbeatTimeout > pollInterval,
        "directory.heartbeat-timeout",
        "must be greater than poll-interval");
  }
}
