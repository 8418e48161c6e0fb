package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * TLS on every listening port, real processes (Cassandra, one instance, one web API server) with a
 * certificate for 127.0.0.1 from a test CA: a customer chats through the web API server over HTTPS
 * (which calls the instance over TLS), an agent answers over WSS, the admin port answers HTTPS.
 * Plain text, another CA and a host name the certificate does not name are refused.
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TlsIT {
  final Vertx vertx = Vertx.vertx();
  Path dir;
  TestCertificates certs;
  InstanceProcess instance;
  WebApiProcess gms;
  WebClient https;

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("tls-it");
    certs = TestCertificates.create(dir);
    Map<String, String> p =
        new java.util.LinkedHashMap<>(SharedCassandra.instanceProperties("tls_it"));
    for (String port : List.of("webapi", "esp", "admin")) {
      p.put("hachat." + port + ".tls.cert-file", certs.serverCert().toString());
      p.put("hachat." + port + ".tls.key-file", certs.serverKey().toString());
    }
    p.put("hachat.security.tls-trust-file", certs.ca().toString());
    instance = InstanceProcess.start("cs-tls", p);
    Map<String, String> g = WebApiProcess.cassandraProperties("tls_it");
    g.put("gms.directory.poll-interval", "200");
    g.put("gms.http.tls.cert-file", certs.serverCert().toString());
    g.put("gms.http.tls.key-file", certs.serverKey().toString());
    g.put("gms.security.tls-trust-file", certs.ca().toString());
    gms = WebApiProcess.start("gms-tls", g);
    https = client(certs.ca());
    FailoverClients.awaitCondition(
        "the web API server reads the instance's KPIs over TLS",
        60,
        () -> {
          JsonObject table =
              await(https.get(gms.port(), "127.0.0.1", "/instances").send()).bodyAsJsonObject();
          return table.getJsonArray("instances").stream()
              .map(JsonObject.class::cast)
              .anyMatch(i -> i.getBoolean("alive", false) && i.containsKey("kpi"));
        });
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (gms != null) {
        gms.close();
      }
    } finally {
      if (instance != null) {
        instance.close();
      }
      await(vertx.close());
      dev.hachat.store.cassandra.CassandraCluster.deleteTree(dir);
    }
  }

  private WebClient client(Path ca) {
    return WebClient.create(
        vertx,
        new WebClientOptions()
            .setSsl(true)
            .setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
  }

  @Test
  void a_customer_and_an_agent_chat_over_tls_end_to_end() throws Exception {
    GmsCustomers customers = new GmsCustomers(https);
    GmsCustomers.Chat chat = customers.requestChat(gms.port(), "Ann");
    customers.send(chat, "m1", "hello over https");

    EspClient agent =
        await(
            EspClient.connect(
                vertx,
                new EspClientOptions()
                    .setPort(instance.espPort())
                    .setTlsTrustFile(certs.ca().toString())));
    await(agent.login("a1", "Bob", null));
    AcceptedChat accepted = await(agent.accept(chat.chatId));
    assertThat(accepted.entries()).anyMatch(e -> "hello over https".equals(e.text()));
    await(agent.send(chat.chatId, "r1", "hello over wss"));

    customers.assertTranscript(chat, List.of("hello over https", "hello over wss"));
    assertThat(await(https.get(instance.adminPort(), "127.0.0.1", "/health").send()).statusCode())
        .isEqualTo(200);
  }

  @Test
  void plain_text_another_ca_and_a_wrong_host_name_are_refused() throws Exception {
    WebClient plain = WebClient.create(vertx);
    for (int port : List.of(instance.webapiPort(), instance.adminPort(), gms.port())) {
      assertThatThrownBy(() -> await(plain.get(port, "127.0.0.1", "/health").send()))
          .as("plain text to TLS port %d", port)
          .isNotNull();
    }
    WebClient stranger = client(certs.otherCa());
    assertThatThrownBy(() -> await(stranger.get(gms.port(), "127.0.0.1", "/health").send()))
        .as("a certificate from a CA the client does not trust")
        .hasStackTraceContaining("certification path");
    assertThatThrownBy(() -> await(https.get(gms.port(), "localhost", "/health").send()))
        .as("a host name the certificate does not name")
        .hasStackTraceContaining("No name matching localhost");
    assertThatThrownBy(
            () ->
                await(
                    EspClient.connect(
                        vertx,
                        new EspClientOptions()
                            .setHost("localhost")
                            .setPort(instance.espPort())
                            .setTlsTrustFile(certs.ca().toString()))))
        .as("the product's client checks the host name too")
        .hasStackTraceContaining("No name matching localhost");
    assertThatThrownBy(
            () ->
                await(
                    EspClient.connect(
                        vertx,
                        new EspClientOptions()
                            .setPort(instance.espPort())
                            .setTlsTrustFile(certs.otherCa().toString()))))
        .as("ESP with another CA")
        .isNotNull();
  }
}
