package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.store.PostgresStoreOptions;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to a real PostgreSQL that serves a certificate for 127.0.0.1 signed by a test CA (made with
 * openssl): verify-full with that CA as {@code ssl-root-cert} connects; another CA, or a host name
 * the certificate does not name, is refused.
 */
class PgTlsTest {
  static TestCertificates certs;
  static PostgresServer server;
  final Vertx vertx = Vertx.vertx();

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.createTemporary("hachat-pgtls-");
    server = PostgresServer.startWithTls(certs.serverCert(), certs.serverKey());
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    certs.close();
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private Object query(PostgresStoreOptions o) throws Exception {
    Pool pool = Pg.pool(vertx, o);
    try {
      return await(pool.query("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()").execute())
          .iterator()
          .next()
          .getBoolean(0);
    } finally {
      await(pool.close());
    }
  }

  @Test
  void verify_full_with_the_servers_ca_connects_over_tls() throws Exception {
    PostgresStoreOptions o =
        server.options().setSslMode("verify-full").setSslRootCert(certs.ca().toString());
    assertThat(query(o)).isEqualTo(true);
  }

  @Test
  void another_ca_is_refused() {
    PostgresStoreOptions o =
        server.options().setSslMode("verify-ca").setSslRootCert(certs.otherCa().toString());
    assertThatThrownBy(() -> query(o)).isNotNull();
  }

  @Test
  void verify_full_refuses_a_host_the_certificate_does_not_name() {
    PostgresStoreOptions o =
        server
            .options()
            .setHost("localhost")
            .setSslMode("verify-full")
            .setSslRootCert(certs.ca().toString());
    assertThatThrownBy(() -> query(o)).isNotNull();
    PostgresStoreOptions caOnly =
        server
            .options()
            .setHost("localhost")
            .setSslMode("verify-ca")
            .setSslRootCert(certs.ca().toString());
    io.vertx.core.net.ClientSSLOptions ssl = Pg.connectOptions(caOnly).getSslOptions();
    assertThat(ssl == null ? "" : ssl.getHostnameVerificationAlgorithm())
        .as("verify-ca checks the CA only, as libpq does")
        .isNotEqualTo("HTTPS");
  }
}
