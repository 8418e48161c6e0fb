package dev.hachat.common.config;

import io.vertx.core.net.ClientOptionsBase;
import io.vertx.core.net.PemTrustOptions;

/**
 * How this process calls the ports of other processes: in plain text, or over TLS trusting the CA
 * certificates of one PEM file ({@code security.tls-trust-file}) and checking that the certificate
 * names the host called. A cluster's ports use TLS all or none, so one setting covers every call.
 */
public final class ClientTls {
  private static final ClientTls PLAIN = new ClientTls("");
  private final String trustFile;

  private ClientTls(String trustFile) {
    this.trustFile = trustFile;
  }

  /** Plain text calls. */
  public static ClientTls plain() {
    return PLAIN;
  }

  /** TLS calls trusting the CAs of {@code trustFile}; an empty path means plain text. */
  public static ClientTls trusting(String trustFile) {
    return trustFile == null || trustFile.isEmpty() ? PLAIN : new ClientTls(trustFile);
  }

  public boolean on() {
    return !trustFile.isEmpty();
  }

  /** {@code options} set for TLS with host name verification when on; unchanged otherwise. */
  public <T extends ClientOptionsBase> T apply(T options) {
    if (on()) {
      options.setSsl(true);
      options.setTrustOptions(new PemTrustOptions().addCertPath(trustFile));
      // HTTP and WebSocket clients verify the host name by default (verifyHost true).
    }
    return options;
  }

  /** The URL scheme of HTTP calls: {@code https} or {@code http}. */
  public String httpScheme() {
    return on() ? "https" : "http";
  }
}
