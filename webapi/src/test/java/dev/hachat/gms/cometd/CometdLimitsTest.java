package dev.hachat.gms.cometd;

import static dev.hachat.testing.Await.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hachat.gms.config.EdgeOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The endpoint's limits, driven with raw Bayeux long-polling requests so that the test controls
 * exactly what the client does (and does not do): slow clients, vanished clients, oversized
 * requests, channels a widget may not use.
 */
@ExtendWith(VertxExtension.class)
class CometdLimitsTest {

  private Vertx vertx;
  private InMemoryChatService chats;
  private CometdEndpoint endpoint;
  private HttpServer server;
  private WebClient web;
  private String cookie;
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();

  @BeforeEach
  void start(Vertx vertx) {
    this.vertx = vertx;
    chats = new InMemoryChatService(vertx);
    web = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    web.close();
    if (endpoint != null) {
      join(endpoint.close());
      join(server.close());
    }
  }

  @Test
  void a_client_that_lets_its_queue_fill_is_disconnected_and_its_feed_stops() {
    listen(new CometdOptions().setMaxQueue(5).setMaxIntervalMs(60_000));
    String clientId = handshake();
    publish(clientId, new JsonObject().put("operation", "requestChat").put("nickname", "Slow"));
    await().until(() -> chats.runningFeeds() == 1);

    // The client never sends /meta/connect: nothing is taken from its queue.
    for (int i = 0; i < 10; i++) {
      join(chats.agentSays(chats.lastChatId(), "message " + i));
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> endpoint.sessionCount() == 0);
    await().until(() -> chats.runningFeeds() == 0);
    var slow = metrics.get("hachat.webapi.cometd.slow.clients");
    assertThat(slow.tag("limit", "max-queue").counter().count()).isEqualTo(1.0);
  }

  @Test
  void a_client_that_stops_connecting_is_removed_and_its_feed_stops() {
    listen(new CometdOptions().setMaxIntervalMs(300));
    String clientId = handshake();
    publish(clientId, new JsonObject().put("operation", "requestChat").put("nickname", "Gone"));
    await().until(() -> chats.runningFeeds() == 1);

    await().atMost(Duration.ofSeconds(10)).until(() -> endpoint.sessionCount() == 0);
    await().until(() -> chats.runningFeeds() == 0);
  }

  @Test
  void a_request_larger_than_max_message_size_is_refused_with_413() {
    listen(new CometdOptions().setMaxMessageSize(1_000));
    String clientId = handshake();
    JsonObject big =
        new JsonObject().put("operation", "sendMessage").put("message", "x".repeat(5_000));

    HttpResponse<Buffer> response = post("", message(clientId, BayeuxTestClient.CHANNEL, big));

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(endpoint.sessionCount()).as("the session is not harmed").isEqualTo(1);
  }

  @Test
  void a_widget_may_publish_only_on_the_chat_service_channels() {
    listen(new CometdOptions());
    String clientId = handshake();

    JsonArray replies =
        post("", message(clientId, "/chat/room", new JsonObject().put("text", "hi")))
            .bodyAsJsonArray();
    JsonArray subscribe =
        post(
                "/subscribe",
                new JsonArray()
                    .add(
                        new JsonObject()
                            .put("channel", "/meta/subscribe")
                            .put("clientId", clientId)
                            .put("subscription", "/chat/**")))
            .bodyAsJsonArray();

    assertThat(replies.getJsonObject(0).getBoolean("successful")).isFalse();
    assertThat(subscribe.getJsonObject(0).getBoolean("successful")).isFalse();
  }

  @Test
  void a_websocket_that_sends_no_handshake_is_closed_at_the_first_message_timeout() {
    listen(new CometdOptions().setFirstMessageTimeoutMs(500));
    io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient();
    io.vertx.core.http.WebSocket ws =
        join(client.connect(server.actualPort(), "127.0.0.1", CometdOptions.DEFAULT_PATH));
    Short[] code = {null};
    ws.closeHandler(v -> code[0] = ws.closeStatusCode());
    await().atMost(Duration.ofSeconds(5)).until(() -> code[0] != null);
    assertThat(code[0]).isEqualTo((short) 4001);
    assertThat(metrics.get("hachat.webapi.cometd.first.message.timeouts").counter().count())
        .isEqualTo(1.0);
    join(client.close());
  }

  @Test
  void other_http_methods_are_refused() {
    listen(new CometdOptions());

    HttpResponse<Buffer> response =
        join(web.get(server.actualPort(), "localhost", CometdOptions.DEFAULT_PATH).send());

    assertThat(response.statusCode()).isEqualTo(400);
  }

  private void listen(CometdOptions options) {
    endpoint = CometdEndpoint.create(vertx, chats, options, new EdgeOptions(), metrics);
    Router router = Router.router(vertx);
    endpoint.mount(router);
    server = join(vertx.createHttpServer().requestHandler(router).listen(0));
  }

  private String handshake() {
    JsonObject handshake =
        new JsonObject()
            .put("channel", "/meta/handshake")
            .put("version", "1.0")
            .put("supportedConnectionTypes", new JsonArray().add("long-polling"));
    HttpResponse<Buffer> response = post("/handshake", new JsonArray().add(handshake));
    JsonObject reply = response.bodyAsJsonArray().getJsonObject(0);
    assertThat(reply.getBoolean("successful")).isTrue();
    cookie = response.cookies().get(0).split(";")[0];
    return reply.getString("clientId");
  }

  private void publish(String clientId, JsonObject data) {
    JsonArray replies =
        post("", message(clientId, BayeuxTestClient.CHANNEL, data)).bodyAsJsonArray();
    assertThat(replies.getJsonObject(replies.size() - 1).getBoolean("successful")).isTrue();
  }

  private static JsonArray message(String clientId, String channel, JsonObject data) {
    return new JsonArray()
        .add(new JsonObject().put("channel", channel).put("clientId", clientId).put("data", data));
  }

  private HttpResponse<Buffer> post(String suffix, JsonArray body) {
    var request = web.post(server.actualPort(), "localhost", CometdOptions.DEFAULT_PATH + suffix);
    if (cookie != null) {
      request.putHeader("Cookie", cookie);
    }
    return join(request.sendJson(body));
  }
}
