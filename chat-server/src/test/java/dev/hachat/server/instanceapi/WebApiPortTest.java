package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The webapi port over real sockets; the agent acts through the engine. */
class WebApiPortTest extends WebApiTestBase {
  @Test
  void full_chat_between_customer_and_agent() throws Exception {
    Customer c = requestChat();
    Joined agent = agentJoins(c);
    Session s = await(engine.find(c.chatId()));
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

    HttpResponse<Buffer> bye = post("/v1/chats/" + c.chatId() + "/disconnect", c.auth());
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
    HttpResponse<Buffer> start = post("/v1/chats/" + c.chatId() + "/startTyping", c.auth());
    HttpResponse<Buffer> stop = post("/v1/chats/" + c.chatId() + "/stopTyping", c.auth());
    HttpResponse<Buffer> notice =
        post(
            "/v1/chats/" + c.chatId() + "/customNotice",
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
    Session s = await(engine.find(c.chatId()));
    List<Long> got = new CopyOnWriteArrayList<>();
    List<String> types = new CopyOnWriteArrayList<>();
    WebSocket ws =
        await(wsClient.connect(port, "127.0.0.1", "/v1/chats/" + c.chatId() + "/events"));
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

    post("/v1/chats/" + c.chatId() + "/disconnect", c.auth());
    Awaitility.await().untilAsserted(() -> assertThat(types).endsWith("closed"));
    Awaitility.await().until(ws::isClosed);
    assertThat(ws.closeStatusCode()).isEqualTo((short) 1000);
  }

  @Test
  void websocket_with_wrong_key_or_chat_is_refused_with_a_typed_close() throws Exception {
    Customer c = requestChat();
    assertThat(
            wsError("/v1/chats/" + c.chatId() + "/events", c.auth().put("secureKey", "x").encode()))
        .isEqualTo(List.of("FORBIDDEN", "4403"));
    assertThat(wsError("/v1/chats/nope/events", c.auth().encode()))
        .isEqualTo(List.of("CHAT_NOT_FOUND", "4404"));
    assertThat(wsError("/v1/chats/" + c.chatId() + "/events", "not json"))
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
