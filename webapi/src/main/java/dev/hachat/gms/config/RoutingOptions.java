package dev.hachat.gms.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** How requests reach instances and how long the web API server keeps trying on failure. */
public class RoutingOptions {
  /** Default {@code request-timeout}: milliseconds one call to an instance may take. */
  public static final int DEFAULT_REQUEST_TIMEOUT = 5000;

  /**
   * Default {@code failover-deadline}: milliseconds a customer request is retried across instances
   * (owner dead, chat being restored) before the customer gets statusCode 1 (retry). Must exceed
   * the instances' {@code ha.heartbeat-timeout}, after which a survivor restores the chat.
   */
  public static final int DEFAULT_FAILOVER_DEADLINE = 30000;

  /**
   * Default {@code retry-delay-min}: milliseconds, lower bound of the random pause between tries.
   */
  public static final int DEFAULT_RETRY_DELAY_MIN = 50;

  /**
   * Default {@code retry-delay-max}: milliseconds, upper bound of that pause (it doubles up to
   * here).
   */
  public static final int DEFAULT_RETRY_DELAY_MAX = 500;

  /**
   * Default {@code suspect-time}: milliseconds an instance that refused a connection or timed out
   * is not chosen again unless nothing else is left.
   */
  public static final int DEFAULT_SUSPECT_TIME = 2000;

  /**
   * Default {@code local-address}: empty, the operating system picks the address this server's
   * connections to instances come from. Set it on a host with several addresses to make them come
   * from one (the network-fault tests give each process of a namespace its own loopback address).
   */
  public static final String DEFAULT_LOCAL_ADDRESS = "";

  @DurationUnit(ChronoUnit.MILLIS)
  private int requestTimeout = DEFAULT_REQUEST_TIMEOUT;

  @DurationUnit(ChronoUnit.MILLIS)
  private int failoverDeadline = DEFAULT_FAILOVER_DEADLINE;

  @DurationUnit(ChronoUnit.MILLIS)
  private int retryDelayMin = DEFAULT_RETRY_DELAY_MIN;

  @DurationUnit(ChronoUnit.MILLIS)
  private int retryDelayMax = DEFAULT_RETRY_DELAY_MAX;

  @DurationUnit(ChronoUnit.MILLIS)
  private int suspectTime = DEFAULT_SUSPECT_TIME;

  private String localAddress = DEFAULT_LOCAL_ADDRESS;

  public int getRequestTimeout() {
    return requestTimeout;
  }

  public RoutingOptions setRequestTimeout(int v) {
    this.requestTimeout = v;
    return this;
  }

  public int getFailoverDeadline() {
    return failoverDeadline;
  }

  public RoutingOptions setFailoverDeadline(int v) {
    this.failoverDeadline = v;
    return this;
  }

  public int getRetryDelayMin() {
    return retryDelayMin;
  }

  public RoutingOptions setRetryDelayMin(int v) {
    this.retryDelayMin = v;
    return this;
  }

  public int getRetryDelayMax() {
    return retryDelayMax;
  }

  public RoutingOptions setRetryDelayMax(int v) {
    this.retryDelayMax = v;
    return this;
  }

  public int getSuspectTime() {
    return suspectTime;
  }

  public RoutingOptions setSuspectTime(int v) {
    this.suspectTime = v;
    return this;
  }

  public String getLocalAddress() {
    return localAddress;
  }

  public RoutingOptions setLocalAddress(String v) {
    this.localAddress = v;
    return this;
  }

  /** The local address to bind, or null when the operating system picks one. */
  public String localAddressOrNull() {
    return localAddress == null || localAddress.isBlank() ? null : localAddress.strip();
  }

  void validate() {
    ConfigException.check(requestTimeout >= 1, "routing.request-timeout", "must be >= 1 ms");
    ConfigException.check(
        failoverDeadline >= requestTimeout,
        "routing.failover-deadline",
        "must be >= request-timeout");
    ConfigException.check(retryDelayMin >= 1, "routing.retry-delay-min", "must be >= 1 ms");
    ConfigException.check(
        retryDelayMax >= retryDelayMin, "routing.retry-delay-max", "must be >= retry-delay-min");
    ConfigException.check(suspectTime >= 0, "routing.suspect-time", "must be >= 0 ms");
  }
}
