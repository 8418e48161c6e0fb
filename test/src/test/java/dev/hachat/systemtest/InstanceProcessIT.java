package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.store.Entry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The packaged instance as an OS process: a chat through it, metrics, stop and kill by PID. */
class InstanceProcessIT {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void closeVertx() throws Exception {
    await(vertx.close());
  }

  @Test
  void packaged_instance_runs_a_chat_and_stops_by_pid() throws Exception {
    try (InstanceProcess cs = InstanceProcess.start("cs-sys1", Map.of())) {
      WebClient http = WebClient.create(vertx);
      assertThat(await(http.get(cs.adminPort(), "127.0.0.1", "/health").send()).statusCode())
          .isEqualTo(200);

      EspClient agent =
          await(EspClient.connect(vertx, new EspClientOptions().setPort(cs.espPort())));
      await(agent.login("a1", "Bob", null));
      List<Entry> agentSees = new CopyOnWriteArrayList<>();
      agent.onEntry((chat, e) -> agentSees.add(e));

      JsonObject chat =
          await(
                  http.post(cs.webapiPort(), "127.0.0.1", "/v1/chats")
                      .sendJsonObject(new JsonObject().put("nickname", "Ann")))
              .bodyAsJsonObject();
      String chatId = chat.getString("chatId");
      JsonObject auth =
          new JsonObject()
              .put("participantId", chat.getString("participantId"))
              .put("secureKey", chat.getString("secureKey"));
      await(agent.accept(chatId));
      await(
          http.post(cs.webapiPort(), "127.0.0.1", "/v1/chats/" + chatId + "/send")
              .sendJsonObject(
                  auth.copy().put("clientMessageId", "m1").put("text", "hello from a process")));
      Awaitility.await()
          .untilAsserted(
              () -> assertThat(agentSees).extracting(Entry::text).contains("hello from a process"));
      await(agent.send(chatId, null, "hello back"));
      JsonObject t =
          await(
                  http.post(cs.webapiPort(), "127.0.0.1", "/v1/chats/" + chatId + "/refresh")
                      .sendJsonObject(auth.copy().put("after", 3)))
              .bodyAsJsonObject();
      assertThat(t.getJsonArray("entries").getJsonObject(0).getString("text"))
          .isEqualTo("hello back");

      String metrics =
          await(http.get(cs.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
      assertThat(metrics).contains("hachat_messages_in_total{instance=\"cs-sys1\"} 2.0");

      long pid = cs.pid();
      cs.stop();
      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    }
  }

  @Test
  void kill_9_ends_the_process_and_frees_its_ports() throws Exception {
    InstanceProcess cs = InstanceProcess.start("cs-sys2", Map.of());
    int port = cs.webapiPort();
    cs.kill();
    assertThat(cs.isAlive()).isFalse();
    WebClient http = WebClient.create(vertx);
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> await(http.get(port, "127.0.0.1", "/").send()))
        .hasMessageContaining("onnection refused");
  }

  @Test
  void bad_configuration_exits_2_naming_the_option() throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                InstanceProcess.javaBin(),
                "-Dhachat.store.type=memory",
                "-Dhachat.ucs.enabled=false",
                "-Dhachat.session.limit-for-sessions=0",
                "-jar",
                InstanceProcess.jar().toString())
            .redirectErrorStream(true)
            .start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.exitValue()).isEqualTo(2);
    assertThat(out).contains("session.limit-for-sessions");
  }
}
