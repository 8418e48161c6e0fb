package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.store.Entry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The GMS Chat API v2 REST endpoints, happy paths. */
class GmsRestTest extends GmsTestBase {

  @Test
  void request_chat_returns_the_gms_fields_and_the_join() throws Exception {
    HttpResponse<Buffer> r =
        form(
            "/genesys/2/chat/customer-support",
            Map.of("firstName", "Ann", "lastName", "Lee", "emailAddress", "ann@example.com"));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("content-type")).isEqualTo("application/json");
    JsonObject b = r.bodyAsJsonObject();
    assertThat(b.getInteger("statusCode")).isZero();
    assertThat(b.getString("chatId")).isNotBlank();
    assertThat(b.getString("userId")).isNotBlank();
    assertThat(b.getString("secureKey")).isNotBlank();
    assertThat(b.getString("alias")).isIn("cs1", "cs2");
    assertThat(b.getBoolean("chatEnded")).isFalse();
    assertThat(b.getLong("nextPosition")).isEqualTo(2);
    JsonObject joined = b.getJsonArray("messages").getJsonObject(0);
    assertThat(joined.getString("type")).isEqualTo("ParticipantJoined");
    assertThat(joined.getLong("index")).isEqualTo(1);
    assertThat(joined.getJsonObject("from").getString("nickname")).isEqualTo("Ann Lee");
    assertThat(joined.getJsonObject("from").getString("type")).isEqualTo("Client");
    assertThat(joined.getJsonObject("from").getString("participantId"))
        .isEqualTo(b.getString("userId"));
    assertThat(joined.getLong("utcTime")).isPositive();
  }

  @Test
  void user_data_reaches_the_agent_with_the_service_name() throws Exception {
    Chat c = requestChat("Ann");
    EspClient agent =
        await(
            EspClient.connect(
                vertx,
                new dev.hachat.esp.client.EspClientOptions()
                    .setHost("127.0.0.1")
                    .setPort(instance(c.alias()).espPort())));
    agents.add(agent);
    await(agent.login("agent-1", "Bob", null));
    // a new chat joins the waiting list just after its creation is acknowledged
    var mine =
        Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(
                () ->
                    await(agent.listWaiting()).stream()
                        .filter(w -> w.chatId().equals(c.chatId()))
                        .findFirst(),
                java.util.Optional::isPresent)
            .orElseThrow();
    assertThat(mine.userData())
        .containsEntry("order", "A-17")
        .containsEntry("GMSServiceName", "customer-support");
  }

  @Test
  void customer_and_agent_exchange_messages_and_refresh_reads_from_a_position() throws Exception {
    Chat c = requestChat("Ann");
    EspClient agent = agentAccepts(c);
    List<Entry> agentSaw = new CopyOnWriteArrayList<>();
    agent.onEntry((chat, e) -> agentSaw.add(e));

    JsonObject sent = op(c, "send", c.auth("message", "my invoice is wrong"));
    assertThat(sent.getInteger("statusCode")).as(sent.encode()).isZero();
    assertThat(sent.getString("alias")).isEqualTo(c.alias());
    JsonObject msg = sent.getJsonArray("messages").getJsonObject(0);
    assertThat(msg.getString("type")).isEqualTo("Message");
    assertThat(msg.getString("text")).isEqualTo("my invoice is wrong");
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> agentSaw.stream().anyMatch(e -> "my invoice is wrong".equals(e.text())));
    await(agent.send(c.chatId(), "a1", "let me check"));

    JsonObject all = op(c, "refresh", c.auth("transcriptPosition", "1"));
    assertThat(all.getInteger("statusCode")).isZero();
    JsonArray messages = all.getJsonArray("messages");
    assertThat(texts(messages)).contains("my invoice is wrong", "let me check");
    assertThat(all.getLong("nextPosition"))
        .isEqualTo(messages.getJsonObject(messages.size() - 1).getLong("index") + 1);
    JsonObject reply = messages.getJsonObject(messages.size() - 1);
    assertThat(reply.getJsonObject("from").getString("type")).isEqualTo("Agent");

    JsonObject later =
        op(c, "refresh", c.auth("transcriptPosition", "" + all.getLong("nextPosition")));
    assertThat(later.getJsonArray("messages")).isEmpty();
    assertThat(later.getLong("nextPosition")).isEqualTo(all.getLong("nextPosition"));
  }

  @Test
  void a_resent_message_id_is_never_a_duplicate() throws Exception {
    Chat c = requestChat("Ann");
    Map<String, String> p = c.auth("message", "hello");
    p.put("messageId", "m-1");
    long first = op(c, "send", p).getJsonArray("messages").getJsonObject(0).getLong("index");
    long again = op(c, "send", p).getJsonArray("messages").getJsonObject(0).getLong("index");
    assertThat(again).isEqualTo(first);
    JsonArray all = op(c, "refresh", c.auth()).getJsonArray("messages");
    assertThat(texts(all).stream().filter("hello"::equals)).hasSize(1);
  }

  @Test
  void send_with_transcript_position_returns_the_new_messages_too() throws Exception {
    Chat c = requestChat("Ann");
    Map<String, String> p = c.auth("message", "hi");
    p.put("transcriptPosition", "1");
    JsonObject r = op(c, "send", p);
    assertThat(r.getInteger("statusCode")).isZero();
    assertThat(texts(r.getJsonArray("messages"))).containsExactly("", "hi");
    assertThat(r.getLong("nextPosition")).isEqualTo(3);
  }

  @Test
  void typing_and_custom_notice_are_transcript_entries() throws Exception {
    Chat c = requestChat("Ann");
    assertThat(op(c, "startTyping", c.auth()).getInteger("statusCode")).isZero();
    assertThat(op(c, "stopTyping", c.auth()).getInteger("statusCode")).isZero();
    JsonObject n = op(c, "customNotice", c.auth("message", "{\"page\":\"/checkout\"}"));
    assertThat(n.getInteger("statusCode")).isZero();
    JsonArray all = op(c, "refresh", c.auth()).getJsonArray("messages");
    assertThat(types(all)).containsSubsequence("TypingStarted", "TypingStopped", "CustomNotice");
  }

  @Test
  void disconnect_ends_the_chat_and_the_transcript_stays_readable() throws Exception {
    Chat c = requestChat("Ann");
    op(c, "send", c.auth("message", "bye"));
    JsonObject d = op(c, "disconnect", c.auth());
    assertThat(d.getInteger("statusCode")).as(d.encode()).isZero();
    assertThat(d.getBoolean("chatEnded")).isTrue();
    JsonObject again = op(c, "disconnect", c.auth());
    assertThat(again.getInteger("statusCode")).as("a second disconnect is harmless").isZero();
    JsonObject t = op(c, "refresh", c.auth());
    assertThat(t.getBoolean("chatEnded")).isTrue();
    assertThat(texts(t.getJsonArray("messages"))).contains("bye");
  }

  @Test
  void a_request_with_a_stale_alias_is_redirected_to_the_owner() throws Exception {
    Chat c = requestChat("Ann");
    String other = c.alias().equals("cs1") ? "cs2" : "cs1";
    Map<String, String> p = c.auth("alias", other);
    p.put("message", "hello");
    JsonObject r = op(c, "send", p);
    assertThat(r.getInteger("statusCode")).isZero();
    assertThat(r.getString("alias")).isEqualTo(c.alias());
  }

  @Test
  void new_chats_go_to_the_least_loaded_instance() throws Exception {
    for (int i = 0; i < 6; i++) {
      requestChat("c" + i);
      // wait until both instances have published their load
      int total = i + 1;
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> gmsInstances().stream().mapToInt(o -> o.getInteger("sessions")).sum() == total);
    }
    assertThat(instance("cs1").engine().activeSessions()).isEqualTo(3);
    assertThat(instance("cs2").engine().activeSessions()).isEqualTo(3);
  }

  @Test
  void update_nickname_and_update_data_reach_the_transcript_and_the_agent() throws Exception {
    Chat c = requestChat("Ann");
    JsonObject n = op(c, "updateNickname", c.auth("nickname", "Annie"));
    assertThat(n.getInteger("statusCode")).as(n.encode()).isZero();
    JsonObject entry = n.getJsonArray("messages").getJsonObject(0);
    assertThat(entry.getString("type")).isEqualTo("NicknameUpdated");
    assertThat(entry.getJsonObject("from").getString("nickname")).isEqualTo("Annie");
    Map<String, String> data = c.auth("userData[plan]", "gold");
    data.put("userData[order]", "B-2");
    JsonObject d = op(c, "updateData", data);
    assertThat(d.getInteger("statusCode")).as(d.encode()).isZero();
    assertThat(d.getJsonArray("messages").getJsonObject(0).getString("type"))
        .isEqualTo("UserDataUpdated");
    EspClient agent =
        await(
            EspClient.connect(
                vertx,
                new dev.hachat.esp.client.EspClientOptions()
                    .setHost("127.0.0.1")
                    .setPort(instance(c.alias()).espPort())));
    agents.add(agent);
    await(agent.login("agent-1", "Bob", null));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(
                        await(agent.listWaiting()).stream()
                            .filter(w -> w.chatId().equals(c.chatId()))
                            .findFirst()
                            .orElseThrow()
                            .userData())
                    .containsEntry("plan", "gold")
                    .containsEntry("order", "B-2"));
  }

  @Test
  void no_new_chat_lands_on_a_disabled_instance() throws Exception {
    var admin = await(http.post(instance("cs1").adminPort(), "127.0.0.1", "/admin/disable").send());
    assertThat(admin.statusCode()).isEqualTo(200);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                gmsInstances().stream()
                    .anyMatch(
                        o ->
                            o.getString("instanceId").equals("cs1")
                                && "disabled".equals(o.getString("state"))));
    for (int i = 0; i < 6; i++) {
      assertThat(requestChat("c" + i).alias()).isEqualTo("cs2");
    }
    assertThat(instance("cs1").engine().activeSessions()).isZero();
  }

  @Test
  void json_parameters_work_as_well_as_forms() throws Exception {
    HttpResponse<Buffer> r =
        raw(
            "/genesys/2/chat/customer-support",
            "application/json",
            Buffer.buffer(
                new JsonObject()
                    .put("nickname", "Ann")
                    .put("userData", new JsonObject().put("k", "v"))
                    .encode()));
    assertThat(r.bodyAsJsonObject().getInteger("statusCode")).isZero();
  }

  @Test
  void instances_endpoint_and_health_describe_the_cluster() throws Exception {
    assertThat(gmsInstances())
        .extracting(o -> o.getString("instanceId"))
        .containsExactly("cs1", "cs2");
    JsonObject cs1 = gmsInstances().get(0);
    assertThat(cs1.getString("state")).isEqualTo("normal");
    assertThat(cs1.getJsonObject("kpi").getLong("sessions_active")).isNotNull();
    assertThat(cs1.getLong("lastHeartbeatMillisAgo")).isLessThan(5000);
    assertThat(cs1.getString("admin")).contains(":");
    var h = await(http.get(gms.port(), "127.0.0.1", "/health").send());
    assertThat(h.statusCode()).isEqualTo(200);
  }

  @Test
  void the_state_table_lists_web_api_servers_apart_from_instances() throws Exception {
    // the web API server's own registry row shows after the next poll of the registry
    org.awaitility.Awaitility.await().until(() -> !webApiServers().isEmpty());
    JsonObject self = webApiServers().get(0);
    assertThat(self.getString("id")).isEqualTo(gms.options().effectiveId());
    assertThat(self.getBoolean("self")).isTrue();
    assertThat(self.getString("state")).isEqualTo("normal");
    assertThat(self.getString("address")).endsWith(":" + gms.port());
    assertThat(gmsInstances())
        .as("instances only; and no instance counts a web API server as a member")
        .extracting(o -> o.getString("instanceId"))
        .containsExactly("cs1", "cs2");
    for (dev.hachat.server.ChatServer cs : instances) {
      var cluster =
          await(http.get(cs.adminPort(), "127.0.0.1", "/cluster").send()).bodyAsJsonObject();
      assertThat(cluster.getJsonArray("instances").encode()).doesNotContain("webapi/");
    }
  }

  List<JsonObject> webApiServers() throws Exception {
    JsonArray a =
        await(http.get(gms.port(), "127.0.0.1", "/instances").send())
            .bodyAsJsonObject()
            .getJsonArray("webApiServers");
    return a.stream().map(JsonObject.class::cast).toList();
  }

  List<JsonObject> gmsInstances() throws Exception {
    JsonArray a =
        await(http.get(gms.port(), "127.0.0.1", "/instances").send())
            .bodyAsJsonObject()
            .getJsonArray("instances");
    return a.stream().map(JsonObject.class::cast).toList();
  }

  static List<String> texts(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("text")).toList();
  }

  static List<String> types(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getString("type")).toList();
  }
}
