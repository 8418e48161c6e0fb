package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every bad request gets its documented status and code, and the chat keeps working. */
class WebApiBadInputTest extends WebApiTestBase {

  @ParameterizedTest(name = "{0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{not json                                   | 400 | BAD_REQUEST",
        "[1,2]                                       | 400 | BAD_REQUEST",
        "''                                          | 400 | BAD_REQUEST",
        "{}                                          | 400 | BAD_REQUEST",
        "{\"clientMessageId\":\"x\",\"text\":\"t\"}  | 400 | BAD_REQUEST",
        "{\"participantId\":1,\"secureKey\":\"k\",\"clientMessageId\":\"x\",\"text\":\"t\"} | 400 | BAD_REQUEST",
      })
  void malformed_send_bodies_are_400(String body, int status, String code) throws Exception {
    Customer c = requestChat();
    assertError(post("/v1/chats/" + c.chatId() + "/send", body), status, code);
    send(c, "ok", "the chat still works");
  }

  @Test
  void missing_fields_are_named() throws Exception {
    Customer c = requestChat();
    HttpResponse<Buffer> noText =
        post("/v1/chats/" + c.chatId() + "/send", c.auth().put("clientMessageId", "m1"));
    assertError(noText, 400, "BAD_REQUEST");
    assertThat(noText.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("'text'");
    HttpResponse<Buffer> noId =
        post("/v1/chats/" + c.chatId() + "/send", c.auth().put("text", "x"));
    assertThat(noId.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("'clientMessageId'");
    assertError(post("/v1/chats", new JsonObject().put("subject", "s")), 400, "BAD_REQUEST");
    assertError(
        post(
            "/v1/chats",
            new JsonObject().put("nickname", "A").put("userData", new JsonObject().put("k", 1))),
        400,
        "BAD_REQUEST");
    assertError(
        post("/v1/chats/" + c.chatId() + "/refresh", c.auth().put("after", -1)),
        400,
        "BAD_REQUEST");
    assertError(
        post("/v1/chats/" + c.chatId() + "/refresh", c.auth().put("after", "x")),
        400,
        "BAD_REQUEST");
    send(c, "ok", "still fine");
  }

  @Test
  void oversize_message_is_400_and_oversize_body_is_413() throws Exception {
    Customer c = requestChat();
    assertError(
        post(
            "/v1/chats/" + c.chatId() + "/send",
            c.auth().put("clientMessageId", "m1").put("text", "x".repeat(1001))),
        400,
        "MESSAGE_TOO_LARGE");
    assertError(
        post(
            "/v1/chats/" + c.chatId() + "/send",
            c.auth().put("clientMessageId", "m1").put("text", "x".repeat(5000))),
        413,
        "REQUEST_TOO_LARGE");
    // The rejected id was never used: the same id now works.
    assertThat(send(c, "m1", "short").getLong("index")).isEqualTo(2);
  }

  @Test
  void wrong_key_or_participant_is_403() throws Exception {
    Customer c = requestChat();
    assertError(
        post(
            "/v1/chats/" + c.chatId() + "/send",
            c.auth().put("secureKey", "guess").put("clientMessageId", "m").put("text", "t")),
        403,
        "FORBIDDEN");
    assertError(
        post("/v1/chats/" + c.chatId() + "/refresh", c.auth().put("participantId", "other")),
        403,
        "FORBIDDEN");
    assertError(
        post("/v1/chats/" + c.chatId() + "/disconnect", c.auth().put("secureKey", "")),
        403,
        "FORBIDDEN");
    send(c, "ok", "not disconnected");
  }

  @Test
  void unknown_chat_is_404_and_unknown_route_is_json_404() throws Exception {
    Customer c = requestChat();
    assertError(
        post(
            "/v1/chats/does-not-exist/send", c.auth().put("clientMessageId", "m").put("text", "t")),
        404,
        "CHAT_NOT_FOUND");
    assertError(post("/v1/nothing-here", c.auth()), 404, "NOT_FOUND");
    assertError(await(http.get(port, "127.0.0.1", "/").send()), 404, "NOT_FOUND");
    // a known path with the wrong method: 405, with the stable BAD_REQUEST code
    assertError(await(http.get(port, "127.0.0.1", "/v1/chats").send()), 405, "BAD_REQUEST");
    send(c, "ok", "fine");
  }

  @Test
  void ended_chat_is_410_but_its_transcript_stays_readable() throws Exception {
    Customer c = requestChat();
    send(c, "m1", "bye");
    post("/v1/chats/" + c.chatId() + "/disconnect", c.auth());
    assertError(
        post(
            "/v1/chats/" + c.chatId() + "/send",
            c.auth().put("clientMessageId", "m2").put("text", "t")),
        410,
        "CHAT_ENDED");
    assertError(post("/v1/chats/" + c.chatId() + "/startTyping", c.auth()), 410, "CHAT_ENDED");
    JsonObject t = refresh(c, 0);
    assertThat(t.getBoolean("chatEnded")).isTrue();
    assertThat(t.getJsonArray("entries")).hasSize(3);
    // Other chats on the instance are unaffected.
    Customer other = requestChat();
    send(other, "m1", "hello");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "\u001b[31mred", "x\u007f", "x\uD83D", "\uDE00x"})
  void text_a_store_cannot_keep_is_400_and_nothing_is_consumed(String bad) throws Exception {
    Customer c = requestChat();
    HttpResponse<Buffer> r =
        post(
            "/v1/chats/" + c.chatId() + "/send",
            c.auth().put("clientMessageId", "m1").put("text", bad));
    assertError(r, 400, "BAD_REQUEST");
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .startsWith("text contains");
    assertError(
        post("/v1/chats", new JsonObject().put("nickname", "A").put("subject", bad)),
        400,
        "BAD_REQUEST");
    assertError(post("/v1/chats", new JsonObject().put("nickname", "A" + bad)), 400, "BAD_REQUEST");
    assertError(
        post(
            "/v1/chats",
            new JsonObject().put("nickname", "A").put("userData", new JsonObject().put("k", bad))),
        400,
        "BAD_REQUEST");
    // Nothing was consumed: the same id now sends the next index, line breaks and emoji pass.
    assertThat(send(c, "m1", "two\r\nlines \uD83D\uDE00").getLong("index")).isEqualTo(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a\u0000b", "\u001b[31m", "x\u007f", "x\uD83D", "\uDE00x"})
  void a_client_message_id_a_store_cannot_keep_is_400_and_nothing_is_consumed(String bad)
      throws Exception {
    Customer c = requestChat();
    HttpResponse<Buffer> r =
        post(
            "/v1/chats/" + c.chatId() + "/send",
            c.auth().put("clientMessageId", bad).put("text", "hello"));
    assertError(r, 400, "BAD_REQUEST");
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .startsWith("clientMessageId contains");
    assertError(
        post(
            "/v1/chats/" + c.chatId() + "/customNotice",
            c.auth().put("clientMessageId", bad).put("text", "notice")),
        400,
        "BAD_REQUEST");
    assertThat(send(c, "m-\uD83D\uDE00", "hello").getLong("index")).isEqualTo(2);
  }
}
