package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import dev.hachat.store.CassandraStoreOptions;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** Builds a driver session from {@link CassandraStoreOptions}. */
final class CqlSessions {
  private CqlSessions() {}

  static CompletionStage<CqlSession> connect(CassandraStoreOptions o, boolean withKeyspace) {
    DriverConfigLoader config =
        DriverConfigLoader.programmaticBuilder()
            .withDuration(
                DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMillis(o.getRequestTimeout()))
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, o.getConsistency())
            .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, o.getSerialConsistency())
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(50))
            .withDuration(
                DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
            // An idempotent request (reads, saves, heartbeats) still unanswered after 100 ms also
            // goes to another node: a node that just died must not eat a heartbeat round.
            .withString(
                DefaultDriverOption.SPECULATIVE_EXECUTION_POLICY_CLASS,
                "ConstantSpeculativeExecutionPolicy")
            .withInt(DefaultDriverOption.SPECULATIVE_EXECUTION_MAX, 2)
            .withDuration(DefaultDriverOption.SPECULATIVE_EXECUTION_DELAY, Duration.ofMillis(100))
            .withBoolean(DefaultDriverOption.REQUEST_WARN_IF_SET_KEYSPACE, false)
            .build();
    CqlSessionBuilder b =
        CqlSession.builder().withConfigLoader(config).withLocalDatacenter(o.getLocalDatacenter());
    for (String cp : o.getContactPoints()) {
      int colon = cp.lastIndexOf(':');
      b.addContactPoint(
          new InetSocketAddress(cp.substring(0, colon), Integer.parseInt(cp.substring(colon + 1))));
    }
    if (!o.getUsername().isEmpty()) {
      b.withAuthCredentials(o.getUsername(), o.getPassword());
    }
    if (!o.getTruststorePath().isEmpty()) {
      // The driver's plain withSslContext does not check host names; this does, unless the
      // operator turned it off (hostname-validation: false, e.g. certificates without SANs).
      b.withSslEngineFactory(
          new com.datastax.oss.driver.api.core.ssl.ProgrammaticSslEngineFactory(
              sslContext(o), null, o.isHostnameValidation()));
    }
    if (withKeyspace) {
      b.withKeyspace(o.getKeyspace());
    }
    return b.buildAsync();
  }

  private static SSLContext sslContext(CassandraStoreOptions o) {
    try {
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(load(o.getTruststorePath(), o.getTruststorePassword()));
      KeyManagerFactory kmf = null;
      if (!o.getKeystorePath().isEmpty()) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(
            load(o.getKeystorePath(), o.getKeystorePassword()),
            o.getKeystorePassword().toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot set up TLS to Cassandra: " + e.getMessage(), e);
    }
  }

  private static KeyStore load(String path, String password) throws Exception {
    KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
    try (InputStream in = Files.newInputStream(Path.of(path))) {
      ks.load(in, password.toCharArray());
    }
    return ks;
  }
}
