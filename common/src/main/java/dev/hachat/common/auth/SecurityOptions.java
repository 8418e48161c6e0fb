package dev.hachat.common.auth;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * How callers are authenticated ({@code security.*}, the same section in every process). With
 * neither secrets nor an account file the process runs open, which it allows only while every
 * listener binds to loopback (a developer's machine); see docs/security.md.
 */
public class SecurityOptions {
  /**
   * Default {@code token-secrets}: none. HS256 keys of at least 32 characters for the signed tokens
   * processes give each other (and operators may use); the first signs, every one verifies, so a
   * new secret is rolled out by putting it first and removing the old one a token lifetime later.
   */
  public static final List<String> DEFAULT_TOKEN_SECRETS = List.of();

  /**
   * Default {@code accounts-file}: none. A YAML file of accounts ({@code id}, {@code roles}, {@code
   * password-hash} made by {@code scripts/hachat-passwd}); re-read when it changes.
   */
  public static final String DEFAULT_ACCOUNTS_FILE = "";

  /** Default {@code token-ttl}: seconds a token this process issues stays valid. */
  public static final int DEFAULT_TOKEN_TTL = 3600;

  /** Default {@code login-failures-per-minute}: per client address and per account. */
  public static final int DEFAULT_LOGIN_FAILURES_PER_MINUTE = 5;

  /** Default {@code login-timeout}: seconds a new connection has to log in (ESP's first frame). */
  public static final int DEFAULT_LOGIN_TIMEOUT = 5;

  /** Shortest secret accepted: 32 characters (256 bits of a random printable secret). */
  public static final int MIN_SECRET_LENGTH = 32;

  /**
   * Default {@code tls-trust-file}: none, so this process calls other processes' ports in plain
   * text. A PEM file of CA certificates: calls go over TLS, trusting only those CAs.
   */
  public static final String DEFAULT_TLS_TRUST_FILE = "";

  private String tlsTrustFile = DEFAULT_TLS_TRUST_FILE;
  private List<String> tokenSecrets = new ArrayList<>(DEFAULT_TOKEN_SECRETS);
  private String accountsFile = DEFAULT_ACCOUNTS_FILE;

  @DurationUnit(ChronoUnit.SECONDS)
  private int tokenTtl = DEFAULT_TOKEN_TTL;

  private int loginFailuresPerMinute = DEFAULT_LOGIN_FAILURES_PER_MINUTE;

  @DurationUnit(ChronoUnit.SECONDS)
  private int loginTimeout = DEFAULT_LOGIN_TIMEOUT;

  /** Whether any credential is configured (otherwise the process runs open, loopback only). */
  public boolean enabled() {
    return !tokenSecrets.isEmpty() || !accountsFile.isEmpty();
  }

  public List<String> getTokenSecrets() {
    return tokenSecrets;
  }

  public SecurityOptions setTokenSecrets(List<String> secrets) {
    this.tokenSecrets = secrets;
    return this;
  }

  public String getAccountsFile() {
    return accountsFile;
  }

  public SecurityOptions setAccountsFile(String path) {
    this.accountsFile = path;
    return this;
  }

  public String getTlsTrustFile() {
    return tlsTrustFile;
  }

  public SecurityOptions setTlsTrustFile(String path) {
    this.tlsTrustFile = path == null ? "" : path;
    return this;
  }

  /** How this process calls other processes' ports (plain, or TLS with the trust file). */
  public dev.hachat.common.config.ClientTls clientTls() {
    return dev.hachat.common.config.ClientTls.trusting(tlsTrustFile);
  }

  public int getTokenTtl() {
    return tokenTtl;
  }

  public SecurityOptions setTokenTtl(int seconds) {
    this.tokenTtl = seconds;
    return this;
  }

  public int getLoginFailuresPerMinute() {
    return loginFailuresPerMinute;
  }

  public SecurityOptions setLoginFailuresPerMinute(int v) {
    this.loginFailuresPerMinute = v;
    return this;
  }

  public int getLoginTimeout() {
    return loginTimeout;
  }

  public SecurityOptions setLoginTimeout(int seconds) {
    this.loginTimeout = seconds;
    return this;
  }

  public void validate() {
    ConfigException.check(tokenSecrets != null, "security.token-secrets", "missing");
    for (String s : tokenSecrets) {
      ConfigException.check(
          s != null && s.length() >= MIN_SECRET_LENGTH,
          "security.token-secrets",
          "each secret must be at least " + MIN_SECRET_LENGTH + " characters");
    }
    ConfigException.check(accountsFile != null, "security.accounts-file", "missing");
    ConfigException.check(
        tlsTrustFile.isEmpty()
            || java.nio.file.Files.isReadable(java.nio.file.Path.of(tlsTrustFile)),
        "security.tls-trust-file",
        "cannot read " + tlsTrustFile);
    ConfigException.check(tokenTtl >= 60, "security.token-ttl", "must be >= 60 s");
    ConfigException.check(
        loginFailuresPerMinute >= 1, "security.login-failures-per-minute", "must be >= 1");
    ConfigException.check(loginTimeout >= 1, "security.login-timeout", "must be >= 1 s");
  }

  /**
   * Refuses an open process (no credentials) that listens beyond loopback: {@code hosts} are the
   * bind addresses of its listeners, by option name.
   */
  public void refuseOpenBeyondLoopback(java.util.Map<String, String> hosts) {
    if (enabled()) {
      return;
    }
    hosts.forEach(
        (option, host) ->
            ConfigException.check(
                isLoopback(host),
                option,
                "binds "
                    + host
                    + " beyond loopback with no credentials: set security.token-secrets and/or"
                    + " security.accounts-file (docs/security.md)"));
  }

  static boolean isLoopback(String host) {
    return host != null
        && (host.equals("localhost") || host.startsWith("127.") || host.equals("::1"));
  }
}
