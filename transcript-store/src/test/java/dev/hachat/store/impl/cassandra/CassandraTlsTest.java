package dev.hachat.store.impl.cassandra;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.cql.Row;
import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.testing.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS to a real Cassandra node whose CQL port speaks TLS only ({@code client_encryption_options},
 * not optional) with a certificate for {@code 127.0.0.1} signed by a test CA (made with openssl at
 * test time, in a temporary directory deleted afterwards): the store with that CA in {@code
 * truststore-path} connects and round-trips a transcript over TLS; a truststore of another CA, a
 * host name the certificate does not carry ({@code localhost}, the same node) with the default
 * {@code hostname-validation}, and plaintext are refused; a keystore alone still means TLS (with
 * the JVM's CAs). One node for the whole class.
 */
class CassandraTlsTest {
  private static final Duration CONNECT = Duration.ofSeconds(60);
  private static final String PASSWORD = UUID.randomUUID().toString();

  static TestCertificates certs;
  static Path trusted;
  static Path untrusted;
  static Path serverKeystore;
  static CassandraCluster node;
  static int port;

  final Vertx vertx = Vertx.vertx();

  @BeforeAll
  static void start() throws Exception {
    certs = TestCertificates.createTemporary("hachat-cqltls-");
    trusted = certs.truststore(certs.ca(), PASSWORD);
    untrusted = certs.truststore(certs.otherCa(), PASSWORD);
    serverKeystore = certs.serverKeystore(PASSWORD);
    Path yaml =
        Files.writeString(
            certs.dir().resolve("tls.yaml"),
            String.join(
                "\n",
                "client_encryption_options:",
                "  enabled: true",
                "  optional: false",
                "  keystore: " + serverKeystore,
                "  keystore_password: " + PASSWORD,
                "  store_type: PKCS12",
                "  require_client_auth: false",
                ""));
    node = CassandraCluster.start(1, yaml);
    String cp = node.contactPoints().get(0);
    port = Integer.parseInt(cp.substring(cp.lastIndexOf(':') + 1));
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (certs != null) {
      certs.close();
    }
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static CassandraStoreOptions tls(String host, Path truststore) {
    return node.storeOptions()
        .setContactPoints(List.of(host + ":" + port))
        .setTruststorePath(truststore.toString())
        .setTruststorePassword(PASSWORD);
  }

  @Test
  void the_servers_ca_connects_and_round_trips_a_transcript_over_tls() throws Exception {
    CassandraTranscriptStore store =
        await(CassandraTranscriptStore.connect(vertx, tls("127.0.0.1", trusted)), CONNECT);
    try {
      String id = UUID.randomUUID().toString().replace("-", "");
      await(store.create(new SessionRecord(id, 1L, "tls", Map.of("k", "v")), "i1"));
      Entry hello =
          new Entry(1, EntryType.MESSAGE, "p1", "Ann", ParticipantType.CLIENT, "hello", 2L, "m1");
      await(store.append(id, 1, List.of(hello), List.of()));
      StoredSession loaded = await(store.load(id));
      assertThat(loaded.entries()).containsExactly(hello);
      assertThat(loaded.session().userData()).containsEntry("k", "v");

      List<Row> clients =
          store
              .session()
              .execute("SELECT ssl_enabled, ssl_protocol FROM system_views.clients")
              .all();
      assertThat(clients).isNotEmpty();
      assertThat(clients).allSatisfy(r -> assertThat(r.getBoolean("ssl_enabled")).isTrue());
      assertThat(clients.get(0).getString("ssl_protocol")).startsWith("TLSv1.");
    } finally {
      await(store.shutdown());
    }
  }

  @Test
  void a_truststore_without_the_servers_ca_is_refused() {
    assertThatThrownBy(
            () ->
                await(
                    CassandraTranscriptStore.connect(vertx, tls("127.0.0.1", untrusted)), CONNECT))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("127.0.0.1:" + port)
        .hasMessageContaining("not signed by a CA of store.cassandra.truststore-path");
  }

  @Test
  void hostname_validation_is_on_by_default_and_refuses_a_name_the_certificate_lacks()
      throws Exception {
    assertThat(new CassandraStoreOptions().isHostnameValidation()).isTrue();
    // localhost reaches the same node, but its certificate names 127.0.0.1 only.
    assertThatThrownBy(
            () ->
                await(CassandraTranscriptStore.connect(vertx, tls("localhost", trusted)), CONNECT))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("localhost:" + port)
        .hasMessageContaining("does not name localhost (store.cassandra.hostname-validation");

    CassandraTranscriptStore unchecked =
        await(
            CassandraTranscriptStore.connect(
                vertx, tls("localhost", trusted).setHostnameValidation(false)),
            CONNECT);
    await(unchecked.shutdown());
  }

  @Test
  void an_unreadable_truststore_fails_the_future_naming_the_option() {
    Future<CassandraTranscriptStore> f =
        CassandraTranscriptStore.connect(
            vertx, tls("127.0.0.1", certs.dir().resolve("missing.p12")));
    assertThatThrownBy(() -> await(f))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("store.cassandra.truststore-path: cannot read");
  }

  @Test
  void a_keystore_alone_still_speaks_tls_trusting_the_jvms_cas() throws Exception {
    CassandraStoreOptions o =
        node.storeOptions()
            .setContactPoints(List.of("127.0.0.1:" + port))
            .setKeystorePath(serverKeystore.toString())
            .setKeystorePassword(PASSWORD);
    assertThatThrownBy(() -> await(CassandraTranscriptStore.connect(vertx, o), CONNECT))
        .isInstanceOf(StoreException.class)
        .hasMessageContaining("not signed by a CA the JVM trusts");
  }

  @Test
  void plaintext_is_refused_by_a_tls_only_node() {
    CassandraStoreOptions plain =
        node.storeOptions().setContactPoints(List.of("127.0.0.1:" + port));
    assertThatThrownBy(() -> await(CassandraTranscriptStore.connect(vertx, plain), CONNECT))
        .hasMessageContaining("127.0.0.1:" + port);
  }
}
