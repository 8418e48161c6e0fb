package dev.hachat.server.instanceapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** updateNickname and updateData on the webapi port: replies, and every bad input refused. */
class WebApiUpdatesTest extends WebApiTestBase {

  private HttpResponse<Buffer> updateNickname(Customer c, Object nickname) throws Exception {
    return post("/v1/chats/" + c.chatId() + "/updateNickname", c.auth().put("nickname", nickname));
  }

  private HttpResponse<Buffer> updateData(Customer c, Object userData) throws Exception {
    return post("/v1/chats/" + c.chatId() + "/updateData", c.auth().put("userData", userData));
  }

  /** The chat works and holds only its join: the refused request changed nothing. */
  private void assertIntact(Customer c) throws Exception {
    JsonArray entries = refresh(c, 0).getJsonArray("entries");
    assertThat(entries).hasSize(1);
    JsonObject m = send(c, "ok", "still fine");
    assertThat(m.getLong("index")).isEqualTo(2);
    assertThat(m.getJsonObject("from").getString("nickname")).isEqualTo("Ann");
    JsonObject waiting =
        new JsonObject(new java.util.LinkedHashMap<>(engine.waiting().get(0).userData()));
    assertThat(waiting).isEqualTo(new JsonObject().put("order", "A-17"));
  }

  @Test
  void update_nickname_replies_with_the_entry_and_later_entries_use_the_new_nickname()
      throws Exception {
    Customer c = requestChat();
    HttpResponse<Buffer> r = updateNickname(c, "Annie");
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject e = r.bodyAsJsonObject().getJsonObject("entry");
    assertThat(e.getLong("index")).isEqualTo(2);
    assertThat(e.getString("type")).isEqualTo("NicknameUpdated");
    assertThat(e.getString("text")).isEqualTo("Annie");
    assertThat(e.getJsonObject("from"))
        .isEqualTo(
            new JsonObject()
                .put("participantId", c.pid())
                .put("nickname", "Annie")
                .put("type", "Client"));
    assertThat(e.containsKey("clientMessageId")).isFalse();
    assertThat(refresh(c, 1).getJsonArray("entries").getJsonObject(0)).isEqualTo(e);
    assertThat(send(c, "m1", "hi").getJsonObject("from").getString("nickname")).isEqualTo("Annie");
  }

  @Test
  void update_data_replies_with_the_entry_and_agents_see_the_merged_data() throws Exception {
    Customer c = requestChat(); // userData {order: A-17}
    HttpResponse<Buffer> r =
        updateData(c, new JsonObject().put("order", "B-2").put("page", "/checkout"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject e = r.bodyAsJsonObject().getJsonObject("entry");
    assertThat(e.getLong("index")).isEqualTo(2);
    assertThat(e.getString("type")).isEqualTo("UserDataUpdated");
    assertThat(new JsonObject(e.getString("text")))
        .isEqualTo(new JsonObject().put("order", "B-2").put("page", "/checkout"));
    assertThat(e.getJsonObject("from").getString("nickname")).isEqualTo("Ann");
    assertThat(engine.waiting().get(0).userData())
        .containsEntry("order", "B-2")
        .containsEntry("page", "/checkout")
        .hasSize(2);
  }

  @ParameterizedTest(name = "updateNickname {0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing    | 400 | BAD_REQUEST",
        "number     | 400 | BAD_REQUEST",
        "empty      | 400 | BAD_REQUEST",
        "blank      | 400 | BAD_REQUEST",
        "too-long   | 400 | BAD_REQUEST",
        "wrong-key  | 403 | FORBIDDEN",
      })
  void bad_nickname_updates_are_refused_and_change_nothing(String kind, int status, String code)
      throws Exception {
    Customer c = requestChat();
    String path = "/v1/chats/" + c.chatId() + "/updateNickname";
    HttpResponse<Buffer> r =
        switch (kind) {
          case "missing" -> post(path, c.auth());
          case "number" -> updateNickname(c, 7);
          case "empty" -> updateNickname(c, "");
          case "blank" -> updateNickname(c, "   ");
          case "too-long" -> updateNickname(c, "x".repeat(65));
          case "wrong-key" -> post(path, c.auth().put("secureKey", "guess").put("nickname", "E"));
          default -> throw new IllegalArgumentException(kind);
        };
    assertError(r, status, code);
    assertIntact(c);
  }

  @ParameterizedTest(name = "updateData {0} -> {1} {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "missing       | 400 | BAD_REQUEST",
        "not-object    | 400 | BAD_REQUEST",
        "array         | 400 | BAD_REQUEST",
        "number-value  | 400 | BAD_REQUEST",
        "null-value    | 400 | BAD_REQUEST",
        "object-value  | 400 | BAD_REQUEST",
        "empty         | 400 | BAD_REQUEST",
        "empty-key     | 400 | BAD_REQUEST",
        "too-many-keys | 400 | BAD_REQUEST",
        "long-key      | 400 | BAD_REQUEST",
        "long-value    | 400 | MESSAGE_TOO_LARGE",
        "wrong-key     | 403 | FORBIDDEN",
      })
  void bad_data_updates_are_refused_and_change_nothing(String kind, int status, String code)
      throws Exception {
    Customer c = requestChat();
    String path = "/v1/chats/" + c.chatId() + "/updateData";
    JsonObject ok = new JsonObject().put("order", "B-2");
    HttpResponse<Buffer> r =
        switch (kind) {
          case "missing" -> post(path, c.auth());
          case "not-object" -> updateData(c, "order=B-2");
          case "array" -> updateData(c, new JsonArray().add("B-2"));
          case "number-value" -> updateData(c, ok.copy().put("n", 1));
          case "null-value" -> updateData(c, ok.copy().putNull("n"));
          case "object-value" -> updateData(c, ok.copy().put("n", new JsonObject()));
          case "empty" -> updateData(c, new JsonObject());
          case "empty-key" -> updateData(c, ok.copy().put("", "v"));
          case "too-many-keys" -> {
            // The chat holds 1 key; 50 new ones make 51 > max-keys (50).
            JsonObject many = new JsonObject();
            IntStream.range(0, 50).forEach(i -> many.put("k" + i, "v"));
            yield updateData(c, many);
          }
          case "long-key" -> updateData(c, ok.copy().put("k".repeat(65), "v"));
          case "long-value" -> updateData(c, ok.copy().put("k", "v".repeat(1025)));
          case "wrong-key" -> post(path, c.auth().put("secureKey", "guess").put("userData", ok));
          default -> throw new IllegalArgumentException(kind);
        };
    assertError(r, status, code);
    assertIntact(c);
  }

  @Test
  void updates_of_an_unknown_or_ended_chat_are_404_and_410() throws Exception {
    Customer c = requestChat();
    JsonObject nick = c.auth().put("nickname", "Annie");
    JsonObject data = c.auth().put("userData", new JsonObject().put("k", "v"));
    assertError(post("/v1/chats/nope/updateNickname", nick), 404, "CHAT_NOT_FOUND");
    assertError(post("/v1/chats/nope/updateData", data), 404, "CHAT_NOT_FOUND");
    assertIntact(c);

    post("/v1/chats/" + c.chatId() + "/disconnect", c.auth());
    assertError(post("/v1/chats/" + c.chatId() + "/updateNickname", nick), 410, "CHAT_ENDED");
    assertError(post("/v1/chats/" + c.chatId() + "/updateData", data), 410, "CHAT_ENDED");
    assertThat(refresh(c, 0).getJsonArray("entries"))
        .extracting(o -> ((JsonObject) o).getString("type"))
        .containsExactly("ParticipantJoined", "Message", "ParticipantLeft");
  }
}
