package dev.hachat.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Certificates for TLS tests, made with the {@code openssl} command in a directory: a test CA
 * ({@code ca.crt}), another CA nobody's certificate is signed by ({@code other-ca.crt}), and a
 * server certificate for {@code 127.0.0.1} only ({@code server.crt}, key {@code server.key}, owner
 * read-only), valid two days; on request the same as a PKCS12 server keystore and CA truststores.
 */
public final class TestCertificates implements AutoCloseable {
  private final Path dir;

  private TestCertificates(Path dir) {
    this.dir = dir;
  }

  /**
   * Makes the certificates in a new temporary directory named {@code prefix…}; {@link #close()}
   * deletes it with everything in it (the private keys too).
   */
  public static TestCertificates createTemporary(String prefix)
      throws IOException, InterruptedException {
    return create(Files.createTempDirectory(prefix));
  }

  /** The directory the files are in. */
  public Path dir() {
    return dir;
  }

  /** Deletes the directory and every file in it. */
  @Override
  public void close() throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (var paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Makes the certificates in {@code dir} (which must exist). */
  public static TestCertificates create(Path dir) throws IOException, InterruptedException {
    TestCertificates c = new TestCertificates(dir);
    c.ca("ca");
    c.ca("other-ca");
    c.openssl(
        "req",
        "-new",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    c.openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "san.ext");
    Files.setPosixFilePermissions(
        dir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
    return c;
  }

  public Path ca() {
    return dir.resolve("ca.crt");
  }

  public Path otherCa() {
    return dir.resolve("other-ca.crt");
  }

  public Path serverCert() {
    return dir.resolve("server.crt");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /**
   * The server certificate (with the CA's) and its key as a PKCS12 keystore, {@code server.p12},
   * for servers that read keystores rather than PEM files (Cassandra).
   */
  public Path serverKeystore(String password) throws IOException, InterruptedException {
    openssl(
        "pkcs12",
        "-export",
        "-in",
        "server.crt",
        "-inkey",
        "server.key",
        "-certfile",
        "ca.crt",
        "-name",
        "server",
        "-out",
        "server.p12",
        "-passout",
        "pass:" + password);
    Path p12 = dir.resolve("server.p12");
    Files.setPosixFilePermissions(p12, PosixFilePermissions.fromString("rw-------"));
    return p12;
  }

  /**
   * A PKCS12 truststore holding the one CA certificate of {@code caPem} ({@link #ca()} or {@link
   * #otherCa()}), written beside it as {@code <name>.p12}: for clients that read truststores (the
   * Cassandra driver).
   */
  public Path truststore(Path caPem, String password) throws IOException {
    String name = caPem.getFileName().toString().replaceFirst("\\.crt$", "");
    Path out = dir.resolve(name + ".p12");
    try (InputStream in = Files.newInputStream(caPem);
        OutputStream os = Files.newOutputStream(out)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(null, null);
      ks.setCertificateEntry(name, CertificateFactory.getInstance("X.509").generateCertificate(in));
      ks.store(os, password.toCharArray());
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot write truststore " + out + ": " + e.getMessage(), e);
    }
    return out;
  }

  private void ca(String name) throws IOException, InterruptedException {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".crt",
        "-days",
        "2",
        "-subj",
        "/CN=hachat test " + name);
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("openssl"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
    }
  }
}
