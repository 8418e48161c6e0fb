package dev.hachat.server;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.server.config.ChatServerOptions;
import dev.hachat.store.Entry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A whole instance in-process: customer on the webapi port, agent on the ESP port. */
class ChatServerTest {
  private ChatServer server;
  private final Vertx clientVertx = Vertx.vertx();

  /** Starting and stopping a whole server (stop hands chats over) may take longer. */
  private static final Duration LIFECYCLE = Duration.ofSeconds(20);

  @BeforeEach
  void start() throws Exception {
    ChatServerOptions options =
        ChatServerOptions.loader()
            .load(
                null,
                Map.of(),
                Map.of(
                    "hachat.webapi.port",
                    "0",
                    "hachat.esp.port",
                    "0",
                    "hachat.admin.port",
                    "0",
                    "hachat.instance-id",
                    "cs-it",
                    "hachat.store.type",
                    "memory",
                    "hachat.ucs.enabled",
                    "false"));
    server = await(ChatServer.start(options), LIFECYCLE);
  }

  @AfterEach
  void stop() throws Exception {
    await(server.stop(), LIFECYCLE);
    await(clientVertx.close());
  }

  private HttpResponse<Buffer> requestChat(WebClient http, String nickname) throws Exception {
    return await(
        http.post(server.webapiPort(), "127.0.0.1", "/v1/chats")
            .sendJsonObject(new JsonObject().put("nickname", nickname)));
  }

  /** Waits until this instance's own registry record, as {@code /cluster} shows it, has state. */
  private void awaitRegistryState(WebClient http, String state) {
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(
                        await(http.get(server.adminPort(), "127.0.0.1", "/cluster").send())
                            .bodyAsJsonObject()
                            .getJsonArray("instances")
                            .getJsonObject(0)
                            .getString("state"))
                    .isEqualTo(state));
  }

  @Test
  void disabled_instance_publishes_its_state_and_refuses_new_chats_with_503() throws Exception {
    WebClient http = WebClient.create(clientVertx);
    JsonObject chat = requestChat(http, "Ann").bodyAsJsonObject();
    await(http.post(server.adminPort(), "127.0.0.1", "/admin/disable").send());
    awaitRegistryState(http, "disabled"); // by the next heartbeat

    HttpResponse<Buffer> refused = requestChat(http, "Bea");
    assertThat(refused.statusCode()).isEqualTo(503);
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("INSTANCE_UNAVAILABLE");
    JsonObject message =
        new JsonObject()
            .put("participantId", chat.getString("participantId"))
            .put("secureKey", chat.getString("secureKey"))
            .put("clientMessageId", "m1")
            .put("text", "still here");
    String send = "/v1/chats/" + chat.getString("chatId") + "/send";
    assertThat(
            await(http.post(server.webapiPort(), "127.0.0.1", send).sendJsonObject(message))
                .statusCode())
        .isEqualTo(200);

    await(http.post(server.adminPort(), "127.0.0.1", "/admin/enable").send());
    awaitRegistryState(http, "normal");
    assertThat(requestChat(http, "Bea").statusCode()).isEqualTo(201);
  }

  @Test
  void customer_on_webapi_chats_with_agent_on_esp() throws Exception {
    WebClient http = WebClient.create(clientVertx);
    EspClient agent =
        await(EspClient.connect(clientVertx, new EspClientOptions().setPort(server.espPort())));
    await(agent.login("a1", "Bob", null));
    List<Entry> agentSees = new CopyOnWriteArrayList<>();
    agent.onEntry((chat, e) -> agentSees.add(e));

    JsonObject chat =
        await(
                http.post(server.webapiPort(), "127.0.0.1", "/v1/chats")
                    .sendJsonObject(new JsonObject().put("nickname", "Ann")))
            .bodyAsJsonObject();
    String chatId = chat.getString("chatId");
    JsonObject auth =
        new JsonObject()
            .put("participantId", chat.getString("participantId"))
            .put("secureKey", chat.getString("secureKey"));
    Awaitility.await().until(() -> !await(agent.listWaiting()).isEmpty());
    await(agent.accept(chatId));

    await(
        http.post(server.webapiPort(), "127.0.0.1", "/v1/chats/" + chatId + "/send")
            .sendJsonObject(auth.copy().put("clientMessageId", "m1").put("text", "hello")));
    Awaitility.await()
        .untilAsserted(() -> assertThat(agentSees).extracting(Entry::text).contains("hello"));
    await(agent.send(chatId, null, "hi Ann"));
    JsonObject t =
        await(
                http.post(server.webapiPort(), "127.0.0.1", "/v1/chats/" + chatId + "/refresh")
                    .sendJsonObject(auth.copy().put("after", 3)))
            .bodyAsJsonObject();
    assertThat(t.getJsonArray("entries").getJsonObject(0).getString("text")).isEqualTo("hi Ann");

    JsonObject health =
        await(http.get(server.adminPort(), "127.0.0.1", "/health").send()).bodyAsJsonObject();
    assertThat(health.getString("status")).isEqualTo("UP");
    assertThat(health.getString("instanceId")).isEqualTo("cs-it");
    JsonObject kpi =
        await(http.get(server.adminPort(), "127.0.0.1", "/kpi").send())
            .bodyAsJsonObject()
            .getJsonObject("kpi");
    assertThat(kpi.getLong("session_created")).isEqualTo(1);
    assertThat(kpi.getLong("messages_in")).isEqualTo(2);
    String metrics =
        await(http.get(server.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    assertThat(metrics)
        .contains("hachat_messages_in_total{instance=\"cs-it\"} 2.0")
        .contains("jvm_memory_used_bytes");
  }

  private String metrics(WebClient http) throws Exception {
    return await(http.get(server.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
  }

  @Test
  void metrics_show_the_session_limit_acceptance_state_and_errors_by_code() throws Exception {
    WebClient http = WebClient.create(clientVertx);
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(metrics(http))
                    .contains("hachat_accepting_chats{instance=\"cs-it\"} 1.0")
                    .contains("hachat_instance_state{instance=\"cs-it\",state=\"normal\"} 1.0")
                    .contains("hachat_instance_state{instance=\"cs-it\",state=\"disabled\"} 0.0")
                    .contains("hachat_session_limit{instance=\"cs-it\"} 1000.0")
                    .contains(
                        "hachat_errors_total{code=\"CHAT_NOT_FOUND\",instance=\"cs-it\",port=\"webapi\"}"
                            + " 0.0"));

    JsonObject nobody = new JsonObject().put("participantId", "p").put("secureKey", "k");
    assertThat(
            await(
                    http.post(server.webapiPort(), "127.0.0.1", "/v1/chats/no-such-chat/refresh")
                        .sendJsonObject(nobody))
                .statusCode())
        .isEqualTo(404);
    EspClient agent =
        await(EspClient.connect(clientVertx, new EspClientOptions().setPort(server.espPort())));
    await(agent.login("a1", "Bob", null));
    assertThat(agent.accept("no-such-chat").toCompletionStage().toCompletableFuture())
        .failsWithin(Duration.ofSeconds(10));
    await(http.post(server.adminPort(), "127.0.0.1", "/admin/disable").send());

    String after = metrics(http);
    assertThat(after)
        .contains(
            "hachat_errors_total{code=\"CHAT_NOT_FOUND\",instance=\"cs-it\",port=\"webapi\"} 1.0")
        .contains(
            "hachat_errors_total{code=\"CHAT_NOT_FOUND\",instance=\"cs-it\",port=\"esp\"} 1.0")
        .contains("hachat_accepting_chats{instance=\"cs-it\"} 0.0")
        .contains("hachat_instance_state{instance=\"cs-it\",state=\"disabled\"} 1.0")
        .contains("hachat_instance_state{instance=\"cs-it\",state=\"normal\"} 0.0");
    JsonObject kpi =
        await(http.get(server.adminPort(), "127.0.0.1", "/kpi").send())
            .bodyAsJsonObject()
            .getJsonObject("kpi");
    assertThat(kpi.getJsonObject("errors").getLong("CHAT_NOT_FOUND")).isEqualTo(2);
  }
}
