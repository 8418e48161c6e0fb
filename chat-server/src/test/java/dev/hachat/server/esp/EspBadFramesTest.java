package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.protocol.EspFrames;
import dev.hachat.server.session.Joined;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** Bad frames get typed error replies; the connection and the server carry on. */
class EspBadFramesTest extends EspTestBase {

  @Test
  void raw_bad_frames_get_typed_replies_and_the_connection_survives() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = await(client.connect(port, "127.0.0.1", "/esp"));
    List<JsonObject> replies = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(t -> replies.add(new JsonObject(t)));
    String[] frames = {
      "not json",
      "[1,2,3]",
      "{\"type\":\"request\",\"op\":\"ping\"}",
      "{\"type\":\"request\",\"id\":1}",
      "{\"type\":\"request\",\"id\":2,\"op\":\"listWaiting\"}",
      "{\"type\":\"request\",\"id\":3,\"op\":\"login\"}",
      "{\"type\":\"request\",\"id\":4,\"op\":\"login\",\"agentId\":\"a\",\"nickname\":\"A\"}",
      "{\"type\":\"request\",\"id\":5,\"op\":\"fly\"}",
      "{\"type\":\"request\",\"id\":6,\"op\":\"accept\"}",
      "{\"type\":\"request\",\"id\":7,\"op\":\"typing\",\"chatId\":\"x\",\"typing\":\"yes\"}",
      "{\"type\":\"request\",\"id\":8,\"op\":\"send\",\"chatId\":\"x\",\"clientMessageId\":\"m\",\"text\":\"t\"}",
      "{\"type\":\"request\",\"id\":9,\"op\":\"accept\",\"chatId\":\"nope\"}",
      "{\"type\":\"request\",\"id\":10,\"op\":\"ping\"}",
    };
    for (String f : frames) {
      ws.writeTextMessage(f);
    }
    Awaitility.await().until(() -> replies.size() == frames.length);
    assertThat(replies)
        .extracting(r -> r.getBoolean("ok") ? "ok" : r.getJsonObject("error").getString("code"))
        .containsExactly(
            "BAD_REQUEST",
            "BAD_REQUEST",
            "BAD_REQUEST",
            "BAD_REQUEST",
            "UNAUTHORIZED",
            "BAD_REQUEST",
            "ok",
            "NOT_FOUND",
            "BAD_REQUEST",
            "BAD_REQUEST",
            "FORBIDDEN",
            "CHAT_NOT_FOUND",
            "ok");
    assertThat(replies.get(0).getValue("id")).isNull();
    assertThat(replies.get(12).getInteger("id")).isEqualTo(10);
    assertThat(ws.isClosed()).isFalse();
  }

  @Test
  void a_message_past_the_size_limit_closes_with_1009_a_long_text_gets_message_too_large()
      throws Exception {
    Joined chat = customer();
    WebSocket ws = await(vertx.createWebSocketClient().connect(port, "127.0.0.1", "/esp"));
    List<JsonObject> replies = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(t -> replies.add(new JsonObject(t)));
    Short[] closed = {null};
    ws.closeHandler(v -> closed[0] = ws.closeStatusCode());
    ws.writeTextMessage(request(1, "login").put("agentId", "a").put("nickname", "A").encode());
    ws.writeTextMessage(request(2, "accept").put("chatId", chat.chatId()).encode());
    Awaitility.await().until(() -> reply(replies, 2) != null);
    // 200 KB: within the message size (the client sends 64 KiB frames), past max-message-size
    ws.writeTextMessage(send(3, chat, 200_000));
    Awaitility.await().until(() -> reply(replies, 3) != null);
    assertThat(reply(replies, 3).getJsonObject("error").getString("code"))
        .isEqualTo("MESSAGE_TOO_LARGE");
    ws.writeTextMessage(send(4, chat, EspFrames.MAX_MESSAGE_BYTES));
    Awaitility.await().until(() -> closed[0] != null);
    assertThat(closed[0]).isEqualTo(EspFrames.CLOSE_MESSAGE_TOO_BIG);
    assertThat(reply(replies, 4)).as("never read, never answered").isNull();
    assertThat(engine.kpi().toJson().getJsonObject("errors").getLong("REQUEST_TOO_LARGE"))
        .isEqualTo(1);
  }

  private static JsonObject request(int id, String op) {
    return new JsonObject().put("type", "request").put("id", id).put("op", op);
  }

  private static String send(int id, Joined chat, int textLength) {
    return request(id, "send")
        .put("chatId", chat.chatId())
        .put("clientMessageId", "m" + id)
        .put("text", "a".repeat(textLength))
        .encode();
  }

  private static JsonObject reply(List<JsonObject> replies, int id) {
    return replies.stream()
        .filter(r -> Integer.valueOf(id).equals(r.getValue("id")))
        .findFirst()
        .orElse(null);
  }

  @Test
  void op_before_login_is_unauthorized_then_login_works() throws Exception {
    EspClient c = connect();
    assertFailsWith(ErrorCode.UNAUTHORIZED, c.listWaiting());
    await(c.login("a1", "Bob", null));
    assertThat(await(c.listWaiting())).isEmpty();
  }

  @Test
  void non_esp_paths_are_refused() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> await(client.connect(port, "127.0.0.1", "/other")))
        .hasMessageContaining("404");
    var http = io.vertx.ext.web.client.WebClient.create(vertx);
    var r = await(http.get(port, "127.0.0.1", "/esp").send());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("NOT_FOUND");
  }
}
