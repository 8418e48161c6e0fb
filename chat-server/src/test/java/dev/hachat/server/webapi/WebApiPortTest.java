package dev.hachat.server.webapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.protocol.EntryJson;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.config.WebApiPortOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.TranscriptStores;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webapi port over real sockets; the agent acts through the engine. */
class WebApiPortTest {
  protected final Vertx vertx = Vertx.vertx();
  protected final WebApiPortOptions options = new WebApiPortOptions().setMaxBodySize(4096);
  protected ChatEngine engine;
  protected WebClient http;
  protected WebSocketClient wsClient;
  protected int port;

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @BeforeEach
  void start() throws Exception {
    options.setPort(0);
    engine =
        ChatEngine.create(
            vertx,
            "cs-web",
            TranscriptStores.inMemory(),
            new SessionOptions().setMaxMessageSize(1000),
            new TranscriptOptions(),
            new Kpi(new SimpleMeterRegistry()),
            Clock.systemUTC());
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
            "/v1/chats/" + c.chatId + "/send",
            c.auth().put("clientMessageId", id).put("text", text));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonObject("entry");
  }

  JsonObject refresh(Customer c, long after) throws Exception {
    HttpResponse<Buffer> r =
        post("/v1/chats/" + c.chatId + "/refresh", c.auth().put("after", after));
    assertThat(r.statusCode()).isEqualTo(200);
    return r.bodyAsJsonObject();
  }

  Joined agentJoins(Customer c) throws Exception {
    return await(await(engine.find(c.chatId)).join(ParticipantType.AGENT, "Bob"));
  }

  @Test
  void full_chat_between_customer_and_agent() throws Exception {
    Customer c = requestChat();
    Joined agent = agentJoins(c);
    Session s = await(engine.find(c.chatId));
    JsonObject m1 = send(c, "m1", "my invoice is wrong");
    assertThat(m1.getLong("index")).isEqualTo(3);
    assertThat(m1.getJsonObject("from").getString("type")).isEqualTo("Client");
    await(s.send(agent.participantId(), agent.secureKey(), "r1", "let me look"));

    JsonObject t = refresh(c, 2);
    List<Entry> entries = EntryJson.fromJson(t.getJsonArray("entries"));
    assertThat(entries)
        .extracting(Entry::text)
        .containsExactly("my invoice is wrong", "let me look");
    assertThat(entries.get(1).participantType()).isEqualTo(ParticipantType.AGENT);
    assertThat(t.getLong("nextPosition")).isEqualTo(5);
    assertThat(t.getBoolean("chatEnded")).isFalse();

    HttpResponse<Buffer> bye = post("/v1/chats/" + c.chatId + "/disconnect", c.auth());
    assertThat(bye.statusCode()).isEqualTo(200);
    assertThat(bye.bodyAsJsonObject().getBoolean("chatEnded")).isTrue();
    assertThat(refresh(c, 0).getBoolean("chatEnded")).isTrue();
  }

  @Test
  void send_retry_with_same_client_message_id_returns_first_entry() throws Exception {
    Customer c = requestChat();
    JsonObject first = send(c, "m1", "hello");
    JsonObject again = send(c, "m1", "hello");
    assertThat(again).isEqualTo(first);
    assertThat(refresh(c, 0).getJsonArray("entries")).hasSize(2);
  }

  @Test
  void typing_and_custom_notice_are_entries() throws Exception {
    Customer c = requestChat();
    HttpResponse<Buffer> start = post("/v1/chats/" + c.chatId + "/startTyping", c.auth());
    HttpResponse<Buffer> stop = post("/v1/chats/" + c.chatId + "/stopTyping", c.auth());
    HttpResponse<Buffer> notice =
        post(
            "/v1/chats/" + c.chatId + "/customNotice",
            c.auth().put("clientMessageId", "n1").put("text", "{\"x\":1}"));
    assertThat(List.of(start.statusCode(), stop.statusCode(), notice.statusCode()))
        .containsOnly(200);
    assertThat(EntryJson.fromJson(refresh(c, 1).getJsonArray("entries")))
        .extracting(Entry::type)
        .containsExactly(
            EntryType.TYPING_STARTED, EntryType.TYPING_STOPPED, EntryType.CUSTOM_NOTICE);
  }

  @Test
  void websocket_resumes_after_index_without_gap_or_duplicate() throws Exception {
    Customer c = requestChat();
    for (int i = 0; i < 5; i++) {
      send(c, "a" + i, "before " + i);
    }
    Joined agent = agentJoins(c); // index 7
    Session s = await(engine.find(c.chatId));
    List<Long> got = new CopyOnWriteArrayList<>();
    List<String> types = new CopyOnWriteArrayList<>();
    WebSocket ws = await(wsClient.connect(port, "127.0.0.1", "/v1/chats/" + c.chatId + "/events"));
    ws.textMessageHandler(
        t -> {
          JsonObject ev = new JsonObject(t);
          types.add(ev.getString("type"));
          if ("entry".equals(ev.getString("type"))) {
            got.add(ev.getJsonObject("entry").getLong("index"));
          }
        });
    // Agent messages keep arriving while the customer resumes from index 3.
    List<Future<Entry>> racing = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      racing.add(s.send(agent.participantId(), agent.secureKey(), "r" + i, "during " + i));
      if (i == 5) {
        ws.writeTextMessage(c.auth().put("after", 3).encode());
      }
    }
    for (Future<Entry> f : racing) {
      await(f);
    }
    Awaitility.await()
        .untilAsserted(
            () -> assertThat(got).isEqualTo(LongStream.rangeClosed(4, 27).boxed().toList()));

    post("/v1/chats/" + c.chatId + "/disconnect", c.auth());
    Awaitility.await().untilAsserted(() -> assertThat(types).endsWith("closed"));
    Awaitility.await().until(ws::isClosed);
    assertThat(ws.closeStatusCode()).isEqualTo((short) 1000);
  }

  @Test
  void websocket_with_wrong_key_or_chat_is_refused_with_a_typed_close() throws Exception {
    Customer c = requestChat();
    assertThat(
            wsError("/v1/chats/" + c.chatId + "/events", c.auth().put("secureKey", "x").encode()))
        .isEqualTo(List.of("FORBIDDEN", "4403"));
    assertThat(wsError("/v1/chats/nope/events", c.auth().encode()))
        .isEqualTo(List.of("CHAT_NOT_FOUND", "4404"));
    assertThat(wsError("/v1/chats/" + c.chatId + "/events", "not json"))
        .isEqualTo(List.of("BAD_REQUEST", "4400"));
    send(c, "m1", "still works");
  }

  private List<String> wsError(String path, String hello) throws Exception {
    List<String> codes = new CopyOnWriteArrayList<>();
    WebSocket ws = await(wsClient.connect(port, "127.0.0.1", path));
    ws.textMessageHandler(
        t -> codes.add(new JsonObject(t).getJsonObject("error").getString("code")));
    ws.writeTextMessage(hello);
    Awaitility.await().until(ws::isClosed);
    codes.add(String.valueOf(ws.closeStatusCode()));
    return codes;
  }
}
