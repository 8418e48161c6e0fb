package dev.hachat.gms.cometd;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.config.EdgeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client address a CometD requestChat is counted against (the new-chats limit per address): the
 * TCP peer, or behind a trusted proxy (HAProxy) the last X-Forwarded-For, also when the client's
 * own header line comes before the proxy's. Raw long-polling requests, so the test sets the headers
 * and the source address.
 */
class CometdClientAddressTest {
  private final Vertx vertx = Vertx.vertx();
  private InMemoryChatService chats;
  private CometdEndpoint endpoint;
  private HttpServer server;

  @BeforeEach
  void start() throws Exception {
    chats = new InMemoryChatService(vertx);
    endpoint =
        CometdEndpoint.create(
            vertx,
            chats,
            new CometdOptions(),
            new EdgeOptions().setTrustedProxies(List.of("127.0.0.1")));
    Router router = Router.router(vertx);
    endpoint.mount(router);
    server = await(vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    await(endpoint.close());
    await(server.close());
    await(vertx.close());
  }

  @Test
  void a_direct_client_counts_as_its_own_address_whatever_it_claims() throws Exception {
    assertThat(requestChatFrom("127.0.0.2", List.of("203.0.113.7"))).isEqualTo("127.0.0.2");
  }

  @Test
  void behind_the_trusted_proxy_the_last_forwarded_address_counts() throws Exception {
    assertThat(requestChatFrom("127.0.0.1", List.of("203.0.113.7"))).isEqualTo("203.0.113.7");
    assertThat(requestChatFrom("127.0.0.1", List.of("198.51.100.1", "203.0.113.8")))
        .as("the proxy's own header line is the last")
        .isEqualTo("203.0.113.8");
    assertThat(requestChatFrom("127.0.0.1", List.of())).isEqualTo("127.0.0.1");
  }

  /** Handshakes and publishes a requestChat from {@code source}; the address the service got. */
  private String requestChatFrom(String source, List<String> forwardedFor) throws Exception {
    WebClient web = WebClient.create(vertx, new WebClientOptions().setLocalAddress(source));
    try {
      JsonObject handshake =
          new JsonObject()
              .put("channel", "/meta/handshake")
              .put("version", "1.0")
              .put("supportedConnectionTypes", new JsonArray().add("long-polling"));
      HttpResponse<Buffer> hs = post(web, "/handshake", forwardedFor, handshake, null);
      String clientId = hs.bodyAsJsonArray().getJsonObject(0).getString("clientId");
      String cookie = hs.cookies().get(0).split(";")[0];
      int before = chats.requestAddresses.size();
      JsonObject publish =
          new JsonObject()
              .put("channel", BayeuxTestClient.CHANNEL)
              .put("clientId", clientId)
              .put("data", BayeuxTestClient.requestChat("Ann"));
      post(web, "", forwardedFor, publish, cookie);
      Awaitility.await().until(() -> chats.requestAddresses.size() > before);
      return chats.requestAddresses.get(before);
    } finally {
      web.close();
    }
  }

  private HttpResponse<Buffer> post(
      WebClient web, String suffix, List<String> forwardedFor, JsonObject message, String cookie)
      throws Exception {
    HttpRequest<Buffer> r =
        web.post(server.actualPort(), "127.0.0.1", CometdOptions.DEFAULT_PATH + suffix);
    forwardedFor.forEach(h -> r.headers().add("X-Forwarded-For", h));
    if (cookie != null) {
      r.putHeader("Cookie", cookie);
    }
    return await(r.sendJson(new JsonArray().add(message)));
  }
}
