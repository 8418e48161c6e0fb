package dev.hachat.systemtest;

import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.Passwords;
import dev.hachat.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Security on for a {@link ClusterExtension} ({@link ClusterSpec.Builder#secured}): an accounts
 * file (agent {@value #AGENT}, operator {@value #OPERATOR}, each with password {@code pw-<id>}), a
 * token secret for the peers, and optionally TLS on every port with a test CA ({@link
 * TestCertificates}). The files live in a temporary directory of their own. Made once per test
 * class, on a static field declared before the extension's.
 */
final class Secured {
  static final String SECRET = "system-test-secret-0123456789abcdefghij";
  static final String AGENT = "agent-1";
  static final String OPERATOR = "op-1";

  private final Path dir;
  private final TestCertificates certs;

  private Secured(Path dir, TestCertificates certs) {
    this.dir = dir;
    this.certs = certs;
  }

  /** Accounts and a secret; with {@code tls}, certificates for 127.0.0.1 on every port too. */
  static Secured create(boolean tls) {
    try {
      Path dir = Files.createTempDirectory("secured-cluster");
      StringBuilder yaml = new StringBuilder("accounts:\n");
      for (String[] a : new String[][] {{AGENT, "agent"}, {OPERATOR, "operator"}}) {
        yaml.append("  - id: ")
            .append(a[0])
            .append("\n    roles: [")
            .append(a[1])
            .append("]\n    password-hash: \"")
            .append(Passwords.hash(password(a[0])))
            .append("\"\n");
      }
      Files.writeString(dir.resolve("accounts.yaml"), yaml);
      Files.writeString(dir.resolve("operator.pw"), password(OPERATOR) + "\n");
      Files.writeString(dir.resolve("wrong.pw"), "not-the-password\n");
      return new Secured(dir, tls ? TestCertificates.create(dir) : null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String password(String account) {
    return "pw-" + account;
  }

  boolean tls() {
    return certs != null;
  }

  /** The CA every caller trusts ({@code security.tls-trust-file}); null without TLS. */
  Path ca() {
    return certs == null ? null : certs.ca();
  }

  /** A file whose first line is the operator's password (for {@code --password-file}). */
  Path operatorPasswordFile() {
    return dir.resolve("operator.pw");
  }

  /** A file with a password that is not the operator's. */
  Path wrongPasswordFile() {
    return dir.resolve("wrong.pw");
  }

  /** {@code Basic …} of the operator. */
  String operatorAuthorization() {
    return HttpCredentials.basic(OPERATOR, password(OPERATOR));
  }

  /** What every instance needs: accounts, the secret, and the TLS files. */
  Map<String, String> instanceProperties() {
    Map<String, String> p = common("hachat.");
    if (tls()) {
      for (String port : new String[] {"webapi", "esp", "admin"}) {
        p.put("hachat." + port + ".tls.cert-file", certs.serverCert().toString());
        p.put("hachat." + port + ".tls.key-file", certs.serverKey().toString());
      }
    }
    return p;
  }

  /** What every web API server needs. */
  Map<String, String> webApiProperties() {
    return httpServer("gms.");
  }

  /** What every interaction server needs. */
  Map<String, String> interactionProperties() {
    return httpServer("ixn.");
  }

  /** A process with one HTTP port ({@code http.*}) and the common security options. */
  private Map<String, String> httpServer(String prefix) {
    Map<String, String> p = common(prefix);
    if (tls()) {
      p.put(prefix + "http.tls.cert-file", certs.serverCert().toString());
      p.put(prefix + "http.tls.key-file", certs.serverKey().toString());
    }
    return p;
  }

  private Map<String, String> common(String prefix) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(prefix + "security.token-secrets", SECRET);
    p.put(prefix + "security.accounts-file", dir.resolve("accounts.yaml").toString());
    if (tls()) {
      p.put(prefix + "security.tls-trust-file", certs.ca().toString());
    }
    return p;
  }

  /**
   * A token as a process of the cluster would mint it (HS256, issuer {@code hachat}, the key id the
   * processes give {@code secret}), for {@code subject} with {@code role}, expiring at {@code
   * expiresAt} (epoch seconds): signed with another secret or expired, it must be refused.
   */
  static String token(Vertx vertx, String secret, String subject, String role, long expiresAt) {
    try {
      byte[] sha =
          MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
      JWTAuth jwt =
          JWTAuth.create(
              vertx,
              new JWTAuthOptions()
                  .addPubSecKey(
                      new PubSecKeyOptions()
                          .setAlgorithm("HS256")
                          .setBuffer(secret)
                          .setId(HexFormat.of().formatHex(sha, 0, 6))));
      return jwt.generateToken(
          new JsonObject()
              .put("sub", subject)
              .put("roles", new JsonArray().add(role))
              .put("exp", expiresAt),
          new JWTOptions().setAlgorithm("HS256").setIssuer("hachat"));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Options of a test client calling these processes (TLS trusting the CA when on). */
  WebClientOptions clientOptions() {
    WebClientOptions o = new WebClientOptions();
    if (tls()) {
      o.setSsl(true).setTrustOptions(new PemTrustOptions().addCertPath(certs.ca().toString()));
    }
    return o;
  }
}
