package dev.hachat.esp.client;

import java.util.ArrayList;
import java.util.List;

/** Options of a {@link FailoverEspClient}. */
public class FailoverEspClientOptions {
  /** Default {@code retryMinDelay}: shortest pause before trying another instance, ms. */
  public static final long DEFAULT_RETRY_MIN_DELAY = 100;

  /** Default {@code retryMaxDelay}: longest such pause, ms (the delay is random in between). */
  public static final long DEFAULT_RETRY_MAX_DELAY = 500;

  /** Default {@code failoverTimeout}: how long one call keeps trying before it fails, ms. */
  public static final long DEFAULT_FAILOVER_TIMEOUT = 30_000;

  private List<String> endpoints = new ArrayList<>();
  private String agentId = "agent";
  private String nickname = "Agent";
  private String token;
  private java.util.function.Supplier<String> tokenSupplier;
  private String password;
  private long requestTimeout = EspClientOptions.DEFAULT_REQUEST_TIMEOUT;
  private String tlsTrustFile = "";

  /** PEM CA certificates to trust when the instances' ESP ports use TLS; empty: plain text. */
  public String getTlsTrustFile() {
    return tlsTrustFile;
  }

  public FailoverEspClientOptions setTlsTrustFile(String path) {
    this.tlsTrustFile = path == null ? "" : path;
    return this;
  }

  private long retryMinDelay = DEFAULT_RETRY_MIN_DELAY;
  private long retryMaxDelay = DEFAULT_RETRY_MAX_DELAY;
  private long failoverTimeout = DEFAULT_FAILOVER_TIMEOUT;

  /** ESP ports of the instances, as {@code host:port}; the first reachable one is used first. */
  public List<String> getEndpoints() {
    return endpoints;
  }

  public FailoverEspClientOptions setEndpoints(List<String> endpoints) {
    this.endpoints = new ArrayList<>(endpoints);
    return this;
  }

  public String getAgentId() {
    return agentId;
  }

  public FailoverEspClientOptions setAgentId(String agentId) {
    this.agentId = agentId;
    return this;
  }

  public String getNickname() {
    return nickname;
  }

  public FailoverEspClientOptions setNickname(String nickname) {
    this.nickname = nickname;
    return this;
  }

  /**
   * A signed login token (its subject is the agent id), or {@code null}: then {@link
   * #getPassword()} or, with neither, an open-mode login.
   */
  public String getToken() {
    return token;
  }

  public FailoverEspClientOptions setToken(String token) {
    this.token = token;
    return this;
  }

  /**
   * Where each connection's login token comes from, for tokens that expire (an interaction server
   * issues a fresh one per connection); {@code null}: {@link #getToken()}.
   */
  public java.util.function.Supplier<String> getTokenSupplier() {
    return tokenSupplier;
  }

  public FailoverEspClientOptions setTokenSupplier(java.util.function.Supplier<String> supplier) {
    this.tokenSupplier = supplier;
    return this;
  }

  /** The token for the next login: from the supplier if there is one. */
  String token() {
    return tokenSupplier != null ? tokenSupplier.get() : token;
  }

  /** The account password, or {@code null} to log in with {@link #getToken()}. */
  public String getPassword() {
    return password;
  }

  public FailoverEspClientOptions setPassword(String password) {
    this.password = password;
    return this;
  }

  public long getRequestTimeout() {
    return requestTimeout;
  }

  public FailoverEspClientOptions setRequestTimeout(long millis) {
    this.requestTimeout = millis;
    return this;
  }

  public long getRetryMinDelay() {
    return retryMinDelay;
  }

  public FailoverEspClientOptions setRetryMinDelay(long millis) {
    this.retryMinDelay = millis;
    return this;
  }

  public long getRetryMaxDelay() {
    return retryMaxDelay;
  }

  public FailoverEspClientOptions setRetryMaxDelay(long millis) {
    this.retryMaxDelay = millis;
    return this;
  }

  public long getFailoverTimeout() {
    return failoverTimeout;
  }

  public FailoverEspClientOptions setFailoverTimeout(long millis) {
    this.failoverTimeout = millis;
    return this;
  }
}
