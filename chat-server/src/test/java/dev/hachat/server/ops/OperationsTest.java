package dev.hachat.server.ops;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.server.ChatServer;
import dev.hachat.server.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drain and evacuate on the admin port, two whole instances in one JVM sharing an in-memory store:
 * the chats move to the other instance (adopted at once), the counters say so, and the old owner
 * sends clients on with {@code NOT_OWNER}.
 */
class OperationsTest {
  private final TestNodes nodes = TestNodes.inMemory();
  private final Vertx vertx = nodes.vertx();
  private final List<ChatServer> servers = new ArrayList<>();
  private WebClient http;

  @BeforeEach
  void start() throws Exception {
    for (String id : List.of("cs1", "cs2")) {
      servers.add(await(nodes.startServer(id, Map.of())));
    }
    http = WebClient.create(vertx);
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(() -> servers.get(0).engine().survivorFor("any").isPresent());
  }

  @AfterEach
  void stop() throws Exception {
    nodes.close();
  }

  private JsonObject newChat(ChatServer s) throws Exception {
    return await(
            http.post(s.webapiPort(), "127.0.0.1", "/v1/chats")
                .sendJsonObject(new JsonObject().put("nickname", "Ann")))
        .bodyAsJsonObject();
  }

  private HttpResponse<Buffer> send(ChatServer s, JsonObject chat, String id, String text)
      throws Exception {
    return await(
        http.post(s.webapiPort(), "127.0.0.1", "/v1/chats/" + chat.getString("chatId") + "/send")
            .sendJsonObject(
                new JsonObject()
                    .put("participantId", chat.getString("participantId"))
                    .put("secureKey", chat.getString("secureKey"))
                    .put("clientMessageId", id)
                    .put("text", text)));
  }

  private HttpResponse<Buffer> admin(ChatServer s, String method, String path) throws Exception {
    return await(
        http.request(
                io.vertx.core.http.HttpMethod.valueOf(method), s.adminPort(), "127.0.0.1", path)
            .send());
  }

  private long kpi(ChatServer s, String name) throws Exception {
    return admin(s, "GET", "/kpi").bodyAsJsonObject().getJsonObject("kpi").getLong(name);
  }

  @Test
  void evacuate_hands_every_chat_to_the_other_instance_which_adopts_it_at_once() throws Exception {
    ChatServer cs1 = servers.get(0);
    ChatServer cs2 = servers.get(1);
    List<JsonObject> chats = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      JsonObject c = newChat(cs1);
      assertThat(send(cs1, c, "m1", "hello " + i).statusCode()).isEqualTo(200);
      chats.add(c);
    }

    HttpResponse<Buffer> r = admin(cs1, "POST", "/admin/evacuate");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonObject body = r.bodyAsJsonObject();
    assertThat(body.getJsonObject("evacuation").getInteger("evacuated")).isEqualTo(5);
    assertThat(body.getJsonObject("evacuation").getInteger("failed")).isZero();
    assertThat(body.getInteger("sessions")).isZero();
    assertThat(body.getString("state")).isEqualTo("disabled");
    assertThat(kpi(cs1, "session_evacuated")).isEqualTo(5);
    assertThat(kpi(cs2, "sessions_active")).as("adopted before any client came").isEqualTo(5);
    assertThat(kpi(cs2, "session_restored")).isEqualTo(5);
    assertThat(await(http.get(cs1.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString())
        .contains("hachat_session_evacuated_total");

    for (JsonObject c : chats) {
      HttpResponse<Buffer> moved = send(cs1, c, "m1", "hello again");
      assertThat(moved.statusCode()).isEqualTo(409);
      JsonObject err = moved.bodyAsJsonObject().getJsonObject("error");
      assertThat(err.getString("code")).isEqualTo("NOT_OWNER");
      assertThat(err.getJsonObject("details").getString("owner")).isEqualTo("cs2");
      HttpResponse<Buffer> resent = send(cs2, c, "m1", "hello again");
      assertThat(resent.statusCode()).isEqualTo(200);
      assertThat(resent.bodyAsJsonObject().getJsonObject("entry").getLong("index"))
          .as("the resend is the first message, not a copy")
          .isEqualTo(2);
    }
    assertThat(admin(cs1, "GET", "/health").statusCode()).isEqualTo(200);
  }

  @Test
  void drain_reports_progress_and_evacuates_when_its_deadline_passes() throws Exception {
    ChatServer cs1 = servers.get(0);
    newChat(cs1);
    newChat(cs1);

    JsonObject started = admin(cs1, "POST", "/admin/drain?deadline=PT1S").bodyAsJsonObject();
    assertThat(started.getString("state")).isEqualTo("draining");
    assertThat(started.getInteger("sessions")).isEqualTo(2);
    assertThat(started.getJsonObject("drain").getString("state")).isEqualTo("draining");
    assertThat(started.getJsonObject("drain").getLong("deadlineInMs")).isBetween(1L, 1000L);
    JsonObject health = admin(cs1, "GET", "/health").bodyAsJsonObject();
    assertThat(health.getString("state")).isEqualTo("draining");
    assertThat(health.getBoolean("acceptingChats")).isFalse();
    assertThat(health.getJsonObject("drain")).isNotNull();

    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .untilAsserted(
            () -> {
              JsonObject s = admin(cs1, "GET", "/admin/drain").bodyAsJsonObject();
              assertThat(s.getString("state")).isEqualTo("disabled");
              assertThat(s.getJsonObject("drain").getString("state")).isEqualTo("done");
              assertThat(s.getJsonObject("lastEvacuation"))
                  .as("evacuated at the deadline")
                  .isNotNull();
              assertThat(s.getJsonObject("lastEvacuation").getInteger("evacuated")).isEqualTo(2);
            });
    assertThat(kpi(servers.get(1), "sessions_active")).isEqualTo(2);
  }

  @Test
  void drain_without_deadline_ends_when_the_chats_end_and_enable_undoes_it() throws Exception {
    ChatServer cs1 = servers.get(0);
    JsonObject c = newChat(cs1);
    admin(cs1, "POST", "/admin/drain");
    JsonObject s = admin(cs1, "GET", "/admin/drain").bodyAsJsonObject();
    assertThat(s.getJsonObject("drain").containsKey("deadline")).isFalse();
    assertThat(s.getLong("oldestSessionAgeMs")).isGreaterThanOrEqualTo(0);
    await(
        http.post(
                cs1.webapiPort(), "127.0.0.1", "/v1/chats/" + c.getString("chatId") + "/disconnect")
            .sendJsonObject(
                new JsonObject()
                    .put("participantId", c.getString("participantId"))
                    .put("secureKey", c.getString("secureKey"))));
    Awaitility.await()
        .atMost(10, TimeUnit.SECONDS)
        .until(
            () ->
                "done"
                    .equals(
                        admin(cs1, "GET", "/admin/drain")
                            .bodyAsJsonObject()
                            .getJsonObject("drain")
                            .getString("state")));
    assertThat(kpi(cs1, "session_evacuated")).isZero();
    assertThat(admin(cs1, "POST", "/admin/enable").bodyAsJsonObject().getString("state"))
        .isEqualTo("normal");
  }

  @Test
  void a_bad_deadline_is_a_400_and_changes_nothing() throws Exception {
    HttpResponse<Buffer> r = admin(servers.get(0), "POST", "/admin/drain?deadline=soon");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("BAD_REQUEST");
    assertThat(admin(servers.get(0), "GET", "/health").bodyAsJsonObject().getString("state"))
        .isEqualTo("normal");
    assertThat(admin(servers.get(0), "GET", "/admin/evacuate").statusCode()).isEqualTo(405);
  }
}
