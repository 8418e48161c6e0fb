package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every request a customer can get wrong: a clear GMS error (statusCode 2, a numbered error with
 * advice, a 4xx status), and the chat is intact afterwards.
 */
class GmsBadInputTest extends GmsTestBase {
  private Chat chat;

  @BeforeEach
  void chat() throws Exception {
    chat = requestChat("Ann");
    assertThat(op(chat, "send", chat.auth("message", "first")).getInteger("statusCode")).isZero();
  }

  /** The chat still works and holds exactly its good messages. */
  void chatIsIntact() throws Exception {
    JsonObject r = op(chat, "send", chat.auth("message", "still here"));
    assertThat(r.getInteger("statusCode")).as(r.encode()).isZero();
    JsonObject t = op(chat, "refresh", chat.auth());
    assertThat(GmsRestTest.texts(t.getJsonArray("messages")))
        .containsExactly("", "first", "still here");
  }

  static void fatal(HttpResponse<Buffer> r, int http, int code, String name) {
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(http);
    JsonObject b = r.bodyAsJsonObject();
    assertThat(b.getInteger("statusCode")).isEqualTo(2);
    JsonObject e = b.getJsonArray("errors").getJsonObject(0);
    assertThat(e.getInteger("code")).isEqualTo(code);
    assertThat(e.getString("name")).isEqualTo(name);
    assertThat(e.getString("advice")).isNotBlank();
  }

  HttpResponse<Buffer> chatOp(String op, Map<String, String> params) throws Exception {
    return form("/genesys/2/chat/customer-support/" + chat.chatId() + "/" + op, params);
  }

  @Test
  void unknown_chat_is_104() throws Exception {
    fatal(
        form(
            "/genesys/2/chat/customer-support/AAAAAAAAAAAAAAAAAAAAAA/send",
            chat.auth("message", "x")),
        404,
        104,
        "CHAT_NOT_FOUND");
    chatIsIntact();
  }

  @Test
  void wrong_secure_key_is_103() throws Exception {
    fatal(chatOp("refresh", chat.auth("secureKey", "not-the-key")), 403, 103, "FORBIDDEN");
    Map<String, String> p = chat.auth("message", "x");
    p.put("secureKey", "wrong");
    fatal(chatOp("send", p), 403, 103, "FORBIDDEN");
    chatIsIntact();
  }

  @Test
  void wrong_user_id_is_103() throws Exception {
    Map<String, String> p = chat.auth("message", "x");
    p.put("userId", "someoneElse");
    fatal(chatOp("send", p), 403, 103, "FORBIDDEN");
    chatIsIntact();
  }

  @Test
  void missing_parameters_are_100_and_name_the_parameter() throws Exception {
    HttpResponse<Buffer> r = chatOp("send", chat.auth());
    fatal(r, 400, 100, "BAD_REQUEST");
    assertThat(r.bodyAsString()).contains("message");
    fatal(chatOp("send", Map.of("userId", chat.userId(), "message", "x")), 400, 100, "BAD_REQUEST");
    fatal(
        form("/genesys/2/chat/customer-support", Map.of("subject", "x")), 400, 100, "BAD_REQUEST");
    fatal(chatOp("updateNickname", chat.auth()), 400, 100, "BAD_REQUEST");
    chatIsIntact();
  }

  @Test
  void oversize_message_is_101_and_oversize_body_is_102() throws Exception {
    fatal(chatOp("send", chat.auth("message", "x".repeat(2001))), 400, 101, "MESSAGE_TOO_LARGE");
    // within the web API server's limit, over the instance's max-message-size (1000)
    fatal(chatOp("send", chat.auth("message", "x".repeat(1500))), 400, 101, "MESSAGE_TOO_LARGE");
    fatal(
        raw(
            "/genesys/2/chat/customer-support/" + chat.chatId() + "/send",
            "application/x-www-form-urlencoded",
            Buffer.buffer("message=" + "x".repeat(5000))),
        413,
        102,
        "REQUEST_TOO_LARGE");
    chatIsIntact();
  }

  @Test
  void bad_transcript_position_and_bad_ids_are_100() throws Exception {
    fatal(chatOp("refresh", chat.auth("transcriptPosition", "zero")), 400, 100, "BAD_REQUEST");
    fatal(chatOp("refresh", chat.auth("transcriptPosition", "0")), 400, 100, "BAD_REQUEST");
    fatal(
        form("/genesys/2/chat/customer-support/bad%20id/send", chat.auth("message", "x")),
        400,
        100,
        "BAD_REQUEST");
    chatIsIntact();
  }

  @Test
  void malformed_json_is_100() throws Exception {
    fatal(
        raw(
            "/genesys/2/chat/customer-support/" + chat.chatId() + "/send",
            "application/json",
            Buffer.buffer("{\"userId\":")),
        400,
        100,
        "BAD_REQUEST");
    fatal(
        raw("/genesys/2/chat/customer-support", "application/json", Buffer.buffer("[1,2]")),
        400,
        100,
        "BAD_REQUEST");
    chatIsIntact();
  }

  @Test
  void unknown_service_operation_and_path_are_105() throws Exception {
    fatal(form("/genesys/2/chat/no-such-service", Map.of("nickname", "A")), 404, 105, "NOT_FOUND");
    fatal(chatOp("fly", chat.auth()), 404, 105, "NOT_FOUND");
    fatal(form("/genesys/9/nothing", Map.of()), 404, 105, "NOT_FOUND");
    chatIsIntact();
  }

  @Test
  void requests_to_an_ended_chat_are_106_and_it_stays_readable() throws Exception {
    assertThat(op(chat, "disconnect", chat.auth()).getInteger("statusCode")).isZero();
    HttpResponse<Buffer> r = chatOp("send", chat.auth("message", "late"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isIn(409, 410);
    assertThat(r.bodyAsJsonObject().getInteger("statusCode")).isEqualTo(2);
    JsonObject t = op(chat, "refresh", chat.auth());
    assertThat(t.getBoolean("chatEnded")).isTrue();
    assertThat(GmsRestTest.texts(t.getJsonArray("messages")))
        .contains("first")
        .doesNotContain("late");
  }

  @Test
  void bad_user_data_is_100() throws Exception {
    HttpResponse<Buffer> r =
        raw(
            "/genesys/2/chat/customer-support",
            "application/json",
            Buffer.buffer(
                new JsonObject().put("nickname", "A").put("userData", "not an object").encode()));
    fatal(r, 400, 100, "BAD_REQUEST");
    chatIsIntact();
  }

  @Test
  void malformed_form_encoding_is_100_not_internal() throws Exception {
    String base = "/genesys/2/chat/customer-support";
    String form = "application/x-www-form-urlencoded";
    fatal(raw(base, form, Buffer.buffer("nickname=%zz")), 400, 100, "BAD_REQUEST");
    String auth =
        "userId=" + chat.userId() + "&secureKey=" + chat.secureKey() + "&alias=" + chat.alias();
    fatal(
        raw(base + "/" + chat.chatId() + "/send", form, Buffer.buffer(auth + "&message=%zz")),
        400,
        100,
        "BAD_REQUEST");
    chatIsIntact();
  }

  @Test
  void hundreds_of_user_data_fields_are_102_not_internal() throws Exception {
    StringBuilder body = new StringBuilder("nickname=Ann");
    for (int i = 0; i < 300; i++) {
      body.append("&userData%5Bk").append(i).append("%5D=v");
    }
    fatal(
        raw(
            "/genesys/2/chat/customer-support",
            "application/x-www-form-urlencoded",
            Buffer.buffer(body.toString())),
        413,
        102,
        "REQUEST_TOO_LARGE");
    chatIsIntact();
  }

  @Test
  void a_json_array_body_is_100() throws Exception {
    fatal(
        raw("/genesys/2/chat/customer-support", "application/json", Buffer.buffer("[]")),
        400,
        100,
        "BAD_REQUEST");
    chatIsIntact();
  }

  @Test
  void text_a_store_cannot_keep_is_100_and_the_chat_goes_on() throws Exception {
    fatal(chatOp("send", chat.auth("message", "a\u0000b")), 400, 100, "BAD_REQUEST");
    // A form cannot carry a lone surrogate (UTF-8 has none); JSON can, as an escape.
    JsonObject json = new JsonObject();
    chat.auth().forEach(json::put);
    String loneSurrogate = json.encode().replaceFirst("}$", ",\"message\":\"x\\\\uD83D\"}");
    fatal(
        raw(
            "/genesys/2/chat/customer-support/" + chat.chatId() + "/send",
            "application/json",
            Buffer.buffer(loneSurrogate)),
        400,
        100,
        "BAD_REQUEST");
    fatal(
        form("/genesys/2/chat/customer-support", Map.of("nickname", "Ann", "subject", "s\u0000")),
        400,
        100,
        "BAD_REQUEST");
    chatIsIntact();
  }
}
