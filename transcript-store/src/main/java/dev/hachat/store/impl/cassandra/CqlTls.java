package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory;
import com.datastax.oss.driver.api.core.ssl.SslEngineFactory;
import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to Cassandra from {@link CassandraStoreOptions}: the driver's engine factory, and a failed
 * handshake explained in terms of the options an operator can change.
 */
final class CqlTls {
  private CqlTls() {}

  /** Whether the options ask for TLS: a truststore, or a keystore (client certificate). */
  static boolean enabled(CassandraStoreOptions o) {
    return !o.getTruststorePath().isEmpty() || !o.getKeystorePath().isEmpty();
  }

  /**
   * The engine factory. With {@code hostname-validation} each node's certificate must name the host
   * the driver connects to as it is written (a contact point's host name or IP address, a
   * discovered peer's IP address), never a name found by reverse DNS: the driver's default looks
   * 127.0.0.1 up as "localhost" and then refuses a certificate issued for 127.0.0.1.
   *
   * @throws StoreException UNAVAILABLE, naming the option, if a store cannot be read
   */
  static SslEngineFactory engineFactory(CassandraStoreOptions o) {
    return new ProgrammaticSslEngineFactory(sslContext(o), null, o.isHostnameValidation(), false);
  }

  private static SSLContext sslContext(CassandraStoreOptions o) {
    TrustManagerFactory tmf;
    KeyManagerFactory kmf = null;
    try {
      tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      // No truststore (a keystore only): the JVM's default CAs.
      tmf.init(
          o.getTruststorePath().isEmpty()
              ? null
              : load("truststore-path", o.getTruststorePath(), o.getTruststorePassword()));
      if (!o.getKeystorePath().isEmpty()) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(
            load("keystore-path", o.getKeystorePath(), o.getKeystorePassword()),
            o.getKeystorePassword().toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw StoreException.unavailable("cannot set up TLS to Cassandra: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String option, String path, String password)
      throws GeneralSecurityException {
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, password.toCharArray());
      return ks;
    } catch (IOException e) {
      throw StoreException.unavailable(
          "store.cassandra." + option + ": cannot read " + path + ": " + e, e);
    }
  }

  /**
   * {@code failure} of a connect, or, when it is a failed TLS handshake, a {@link StoreException}
   * (UNAVAILABLE) saying which node refused and which option to check, the driver's failure as its
   * cause.
   */
  static Throwable explain(Throwable failure, CassandraStoreOptions o) {
    Throwable f =
        failure instanceof CompletionException c && c.getCause() != null ? c.getCause() : failure;
    if (!(f instanceof AllNodesFailedException all)) {
      return failure;
    }
    for (Map.Entry<Node, List<Throwable>> e : all.getAllErrors().entrySet()) {
      for (Throwable t : e.getValue()) {
        SSLException ssl = find(t, SSLException.class);
        if (ssl != null) {
          return StoreException.unavailable(
              "TLS handshake with Cassandra at "
                  + address(e.getKey())
                  + " failed: "
                  + reason(ssl, address(e.getKey()), o)
                  + " ("
                  + ssl.getMessage()
                  + ")",
              all);
        }
      }
    }
    return failure;
  }

  private static String reason(SSLException ssl, String address, CassandraStoreOptions o) {
    if (find(ssl, CertPathBuilderException.class) != null
        || find(ssl, CertPathValidatorException.class) != null) {
      return o.getTruststorePath().isEmpty()
          ? "its certificate is not signed by a CA the JVM trusts (store.cassandra.truststore-path"
              + " is empty)"
          : "its certificate is not signed by a CA of store.cassandra.truststore-path";
    }
    if (o.isHostnameValidation() && find(ssl, CertificateException.class) != null) {
      String host = address.substring(0, address.lastIndexOf(':'));
      return "its certificate does not name "
          + host
          + " (store.cassandra.hostname-validation: use a contact point the certificate names)";
    }
    return "check store.cassandra.truststore-path and keystore-path";
  }

  private static String address(Node node) {
    SocketAddress a = node.getEndPoint().resolve();
    return a instanceof InetSocketAddress i
        ? i.getHostString() + ":" + i.getPort()
        : node.getEndPoint().toString();
  }

  private static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }
}
