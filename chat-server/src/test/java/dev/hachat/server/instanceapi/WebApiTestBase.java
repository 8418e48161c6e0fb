package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.config.WebApiPortOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.AfterClose;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Ha;
import dev.hachat.server.session.Joined;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.TranscriptStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Starts the webapi port over real sockets; the agent acts through the engine. */
abstract class WebApiTestBase {
  protected final Vertx vertx = Vertx.vertx();

  /** The port's options; the new-chats limit is out of reach unless a test sets its own. */
  protected final WebApiPortOptions options =
      new WebApiPortOptions()
          .setMaxBodySize(4096)
          .setNewChatsPerMinute(1_000_000)
          .setNewChatsBurst(100_000);

  protected ChatEngine engine;
  protected WebClient http;
  protected WebSocketClient wsClient;
  protected int port;

  @BeforeEach
  void start() throws Exception {
    options.setPort(0);
    TranscriptStore store = TranscriptStores.inMemory();
    engine =
        ChatEngine.create(
            vertx,
            "cs-web",
            store,
            dev.hachat.server.testing.GenerousLimits.sessionOptions().setMaxMessageSize(1000),
            new TranscriptOptions(),
            new Kpi(new SimpleMeterRegistry()),
            Clock.systemUTC(),
            Ha.standAlone(),
            AfterClose.deleteRecords(store));
    await(engine.start(2));
    port = await(WebApiServer.create(vertx, engine, options).listen());
    http = WebClient.create(vertx);
    wsClient = vertx.createWebSocketClient();
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  HttpResponse<Buffer> post(String path, Object body) throws Exception {
    var req = http.post(port, "127.0.0.1", path);
    if (body instanceof JsonObject json) {
      return await(req.sendJsonObject(json));
    }
    return await(req.sendBuffer(Buffer.buffer(String.valueOf(body))));
  }

  /** A documented JSON error: status, content type, code and a message. */
  static void assertError(HttpResponse<Buffer> r, int status, String code) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(status);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
    assertThat(error.getString("code")).isEqualTo(code);
    assertThat(error.getString("message")).isNotBlank();
  }

  /** A customer's chat as the webapi port returned it. */
  record Customer(String chatId, String pid, String key) {
    JsonObject auth() {
      return new JsonObject().put("participantId", pid).put("secureKey", key);
    }
  }

  Customer requestChat() throws Exception {
    HttpResponse<Buffer> r =
        post(
            "/v1/chats",
            new JsonObject()
                .put("nickname", "Ann")
                .put("subject", "billing")
                .put("userData", new JsonObject().put("order", "A-17")));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    JsonObject b = r.bodyAsJsonObject();
    assertThat(b.getJsonArray("entries")).hasSize(1);
    assertThat(b.getLong("nextPosition")).isEqualTo(2);
    return new Customer(
        b.getString("chatId"), b.getString("participantId"), b.getString("secureKey"));
  }

  JsonObject send(Customer c, String id, String text) throws Exception {
    HttpResponse<Buffer> r =
        post(
            "/v1/chats/" + c.chatId() + "/send",
            c.auth().put("clientMessageId", id).put("text", text));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonObject("entry");
  }

  JsonObject refresh(Customer c, long after) throws Exception {
    HttpResponse<Buffer> r =
        post("/v1/chats/" + c.chatId() + "/refresh", c.auth().put("after", after));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  Joined agentJoins(Customer c) throws Exception {
    return await(await(engine.find(c.chatId())).join(ParticipantType.AGENT, "Bob"));
  }
}
