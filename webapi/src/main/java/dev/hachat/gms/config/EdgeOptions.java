package dev.hachat.gms.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What the web API server lets browsers and clients do at its edge: which other sites' pages may
 * call the API (CORS), who may frame its pages, how long an idle connection stays open, and how
 * fast one address may open chats.
 */
public class EdgeOptions {
  /**
   * Default {@code cors-allowed-origins}: none, so only pages this server serves may call the API;
   * list the customer's sites ({@code https://www.example.com}) when the widget lives there.
   */
  public static final List<String> DEFAULT_CORS_ALLOWED_ORIGINS = List.of();

  /** Default {@code frame-ancestors}: pages may be framed by this server's own pages only. */
  public static final String DEFAULT_FRAME_ANCESTORS = "'self'";

  /**
   * Default {@code idle-timeout}: seconds without a byte either way before a connection is closed;
   * above CometD's long-poll hold ({@code cometd.timeout-ms}, 25 s).
   */
  public static final int DEFAULT_IDLE_TIMEOUT = 120;

  /** Default {@code new-chats-per-minute}: chats one client address may request per minute. */
  public static final int DEFAULT_NEW_CHATS_PER_MINUTE = 20;

  /** Default {@code new-chats-burst}: chats one address may request at once before the rate. */
  public static final int DEFAULT_NEW_CHATS_BURST = 5;

  /**
   * Default {@code trusted-proxies}: none. Requests from these addresses (a load balancer such as
   * HAProxy) are counted against the last address of their {@code X-Forwarded-For}; from any other
   * address the header is ignored.
   */
  public static final List<String> DEFAULT_TRUSTED_PROXIES = List.of();

  /** Default {@code max-chats-per-cometd-client}: open chats one CometD client may hold. */
  public static final int DEFAULT_MAX_CHATS_PER_COMETD_CLIENT = 5;

  /**
   * Default {@code max-connections-per-address}: concurrent connections from one address; one more
   * is closed at accept. Connections from {@code trusted-proxies} are not counted (the load
   * balancer limits its clients itself).
   */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

  private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  private int maxChatsPerCometdClient = DEFAULT_MAX_CHATS_PER_COMETD_CLIENT;
  private List<String> trustedProxies = new ArrayList<>(DEFAULT_TRUSTED_PROXIES);
  private List<String> corsAllowedOrigins = new ArrayList<>(DEFAULT_CORS_ALLOWED_ORIGINS);
  private String frameAncestors = DEFAULT_FRAME_ANCESTORS;

  @DurationUnit(ChronoUnit.SECONDS)
  private int idleTimeout = DEFAULT_IDLE_TIMEOUT;

  private int newChatsPerMinute = DEFAULT_NEW_CHATS_PER_MINUTE;
  private int newChatsBurst = DEFAULT_NEW_CHATS_BURST;

  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public EdgeOptions setMaxConnectionsPerAddress(int v) {
    this.maxConnectionsPerAddress = v;
    return this;
  }

  public int getMaxChatsPerCometdClient() {
    return maxChatsPerCometdClient;
  }

  public EdgeOptions setMaxChatsPerCometdClient(int v) {
    this.maxChatsPerCometdClient = v;
    return this;
  }

  public List<String> getTrustedProxies() {
    return trustedProxies;
  }

  public EdgeOptions setTrustedProxies(List<String> proxies) {
    this.trustedProxies = proxies;
    return this;
  }

  public List<String> getCorsAllowedOrigins() {
    return corsAllowedOrigins;
  }

  public EdgeOptions setCorsAllowedOrigins(List<String> origins) {
    this.corsAllowedOrigins = origins;
    return this;
  }

  public String getFrameAncestors() {
    return frameAncestors;
  }

  public EdgeOptions setFrameAncestors(String frameAncestors) {
    this.frameAncestors = frameAncestors;
    return this;
  }

  public int getIdleTimeout() {
    return idleTimeout;
  }

  public EdgeOptions setIdleTimeout(int seconds) {
    this.idleTimeout = seconds;
    return this;
  }

  public int getNewChatsPerMinute() {
    return newChatsPerMinute;
  }

  public EdgeOptions setNewChatsPerMinute(int v) {
    this.newChatsPerMinute = v;
    return this;
  }

  public int getNewChatsBurst() {
    return newChatsBurst;
  }

  public EdgeOptions setNewChatsBurst(int v) {
    this.newChatsBurst = v;
    return this;
  }

  void validate() {
    ConfigException.check(
        maxConnectionsPerAddress >= 1, "edge.max-connections-per-address", "must be >= 1");
    ConfigException.check(
        trustedProxies != null && trustedProxies.stream().allMatch(p -> p != null && !p.isBlank()),
        "edge.trusted-proxies",
        "a list of IP addresses");
    ConfigException.check(corsAllowedOrigins != null, "edge.cors-allowed-origins", "missing");
    for (String o : corsAllowedOrigins) {
      ConfigException.check(
          o != null && o.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?"),
          "edge.cors-allowed-origins",
          "each entry is an origin: scheme://host[:port], no path, no wildcard");
    }
    ConfigException.check(
        frameAncestors != null && frameAncestors.matches("[A-Za-z0-9'.:/* -]{1,512}"),
        "edge.frame-ancestors",
        "a CSP source list, e.g. 'self' or 'none' or https://intranet.example.com");
    ConfigException.check(idleTimeout >= 35, "edge.idle-timeout", "must be >= 35 s");
    ConfigException.check(newChatsPerMinute >= 1, "edge.new-chats-per-minute", "must be >= 1");
    ConfigException.check(newChatsBurst >= 1, "edge.new-chats-burst", "must be >= 1");
    ConfigException.check(
        maxChatsPerCometdClient >= 1, "edge.max-chats-per-cometd-client", "must be >= 1");
  }
}
