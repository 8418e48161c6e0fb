package dev.hachat.ctl.admin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * How {@link AdminClient} calls admin ports: the per-request timeout, the operator credential
 * (asked for only when a call needs it, so a prompt appears only then), and the PEM file of CA
 * certificates to trust for TLS (none: plain HTTP).
 */
public final class AdminClientOptions {
  /** How long one request may take, connection included: {@value #DEFAULT_TIMEOUT_MS} ms. */
  public static final long DEFAULT_TIMEOUT_MS = 10_000;

  private Duration timeout = Duration.ofMillis(DEFAULT_TIMEOUT_MS);
  private Supplier<Credentials> credentials = Credentials::none;
  private Path tlsTrustFile;

  public Duration getTimeout() {
    return timeout;
  }

  public AdminClientOptions setTimeout(Duration timeout) {
    if (timeout.isZero() || timeout.isNegative()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  public Supplier<Credentials> getCredentials() {
    return credentials;
  }

  /** Called at most once, on the first call that needs a credential. */
  public AdminClientOptions setCredentials(Supplier<Credentials> credentials) {
    this.credentials = credentials;
    return this;
  }

  public Path getTlsTrustFile() {
    return tlsTrustFile;
  }

  /** PEM CA certificates: with them every call is HTTPS and checks the host name; null: HTTP. */
  public AdminClientOptions setTlsTrustFile(Path tlsTrustFile) {
    this.tlsTrustFile = tlsTrustFile;
    return this;
  }
}
