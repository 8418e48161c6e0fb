package dev.hachat.interaction.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/**
 * Options {@code election.*}: how the interaction servers choose the one that routes (a lease in
 * the store; docs/interaction.md, "Several interaction servers").
 */
public class ElectionOptions {
  /** Default {@code heartbeat-interval}: how often the holder renews and the others read. */
  public static final long DEFAULT_HEARTBEAT_INTERVAL = 500;

  /** Default {@code heartbeat-timeout}: an unchanged lease this long is taken over. */
  public static final long DEFAULT_HEARTBEAT_TIMEOUT = 3_000;

  /** The lease's name in the store. */
  public static final String LEASE = "interaction-router";

  @DurationUnit(ChronoUnit.MILLIS)
  private long heartbeatInterval = DEFAULT_HEARTBEAT_INTERVAL;

  @DurationUnit(ChronoUnit.MILLIS)
  private long heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;

  private String advertisedHost = "";

  public long getHeartbeatInterval() {
    return heartbeatInterval;
  }

  public ElectionOptions setHeartbeatInterval(long ms) {
    this.heartbeatInterval = ms;
    return this;
  }

  public long getHeartbeatTimeout() {
    return heartbeatTimeout;
  }

  public ElectionOptions setHeartbeatTimeout(long ms) {
    this.heartbeatTimeout = ms;
    return this;
  }

  /** The host the other interaction servers reach this one's port at; empty: {@code http.host}. */
  public String getAdvertisedHost() {
    return advertisedHost;
  }

  public ElectionOptions setAdvertisedHost(String host) {
    this.advertisedHost = host;
    return this;
  }

  void validate() {
    ConfigException.check(
        heartbeatInterval >= 50, "election.heartbeat-interval", "must be >= 50 ms");
    ConfigException.check(
        heartbeatTimeout >= 4 * heartbeatInterval,
        "election.heartbeat-timeout",
        "must be at least 4 x election.heartbeat-interval");
    ConfigException.check(
        advertisedHost != null && !advertisedHost.contains(":") && !advertisedHost.contains("@"),
        "election.advertised-host",
        "a host name or IPv4 address");
  }
}
