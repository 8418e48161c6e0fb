package dev.hachat.server.admin;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.HaOptions;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.AfterClose;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Ha;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.TranscriptStore;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AdminServerTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicBoolean serving = new AtomicBoolean(true);
  private final AtomicBoolean storeUp = new AtomicBoolean(true);
  private final java.util.concurrent.atomic.AtomicLong nanos =
      new java.util.concurrent.atomic.AtomicLong(1_000_000_000L);
  private ChatEngine engine;
  private WebClient client;
  private int port;

  @BeforeEach
  void start() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Kpi kpi = new Kpi(registry);
    kpi.storeAvailable(storeUp::get);
    TranscriptStore store = TranscriptStores.inMemory();
    engine =
        ChatEngine.create(
            vertx,
            "cs-admin",
            store,
            new SessionOptions(),
            new TranscriptOptions(),
            kpi,
            Clock.systemUTC(),
            Ha.standAlone(),
            AfterClose.deleteRecords(store));
    await(engine.start(1));
    var instances = TranscriptStores.inMemoryRegistry();
    await(
        instances.heartbeat(
            new InstanceRecord(
                "cs-other",
                "127.0.0.1:1",
                "127.0.0.1:2",
                "127.0.0.1:3",
                "normal",
                2,
                10,
                1,
                0,
                "test")));
    Membership membership =
        new Membership(
            vertx,
            instances,
            new HaOptions(),
            "cs-admin",
            () ->
                new InstanceRecord(
                    "cs-admin",
                    "127.0.0.1:4",
                    "127.0.0.1:5",
                    "127.0.0.1:6",
                    "normal",
                    engine.activeSessions(),
                    10,
                    0,
                    0,
                    "test"),
            nanos::get,
            engine::onLeaseLost);
    await(membership.start(false));
    assertThat(membership.inQuarantine()).isTrue();
    // Heartbeat through the quarantine after the start (a hand-moved clock).
    for (long t = 0; t < new HaOptions().quarantineMillis(); t += 500) {
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
      await(membership.tick());
    }
    assertThat(membership.inQuarantine()).isFalse();
    AdminServer admin =
        AdminServer.create(
            vertx,
            engine,
            new dev.hachat.server.config.AdminPortOptions().setPort(0),
            registry,
            serving::get,
            membership,
            null,
            dev.hachat.server.ops.Operations.create(
                vertx, engine, new dev.hachat.server.config.OpsOptions()),
            dev.hachat.common.auth.Authenticator.open());
    port = await(admin.listen());
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private HttpResponse<Buffer> get(String path) throws Exception {
    return await(client.get(port, "127.0.0.1", path).send());
  }

  @Test
  void health_is_200_only_while_serving() throws Exception {
    HttpResponse<Buffer> up = get("/health");
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(up.bodyAsJsonObject().getString("instanceId")).isEqualTo("cs-admin");

    serving.set(false);
    HttpResponse<Buffer> down = get("/health");
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.bodyAsJsonObject().getString("status")).isEqualTo("DOWN");
  }

  private HttpResponse<Buffer> post(String path) throws Exception {
    return await(client.post(port, "127.0.0.1", path).send());
  }

  @Test
  void disabled_instance_refuses_new_chats_serves_current_ones_and_stays_healthy()
      throws Exception {
    Joined current = await(engine.requestChat("Ann", "s", Map.of()));
    HttpResponse<Buffer> off = post("/admin/disable");
    assertThat(off.statusCode()).isEqualTo(200);
    assertThat(off.bodyAsJsonObject().getString("instanceId")).isEqualTo("cs-admin");
    assertThat(off.bodyAsJsonObject().getString("state")).isEqualTo("disabled");
    assertThat(off.bodyAsJsonObject().getInteger("sessions")).isEqualTo(1);
    assertThat(post("/admin/disable").bodyAsJsonObject().getString("state"))
        .as("idempotent")
        .isEqualTo("disabled");

    HttpResponse<Buffer> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.bodyAsJsonObject().getString("status")).isEqualTo("UP");
    assertThat(health.bodyAsJsonObject().getString("state")).isEqualTo("disabled");
    assertThat(health.bodyAsJsonObject().getBoolean("acceptingChats")).isFalse();
    Assertions.assertThatThrownBy(() -> await(engine.requestChat("Bea", "s", Map.of())))
        .isInstanceOfSatisfying(
            ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTANCE_UNAVAILABLE));
    Session s = await(engine.find(current.chatId()));
    assertThat(await(s.send(current.participantId(), current.secureKey(), "m1", "hi")).index())
        .isEqualTo(2);
    assertThat(get("/kpi").bodyAsJsonObject().getJsonObject("kpi").getLong("session_rejected"))
        .isEqualTo(1);

    HttpResponse<Buffer> on = post("/admin/enable");
    assertThat(on.bodyAsJsonObject().getString("state")).isEqualTo("normal");
    assertThat(get("/health").bodyAsJsonObject().getBoolean("acceptingChats")).isTrue();
    await(engine.requestChat("Bea", "s", Map.of()));
  }

  @Test
  void the_switch_takes_post_only_and_a_stopping_instance_is_unhealthy() throws Exception {
    HttpResponse<Buffer> r = get("/admin/disable");
    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("METHOD_NOT_ALLOWED");
    assertThat(engine.state().wireName()).isEqualTo("normal");
    assertThat(post("/admin/nothing").statusCode()).isEqualTo(404);

    await(engine.stop());
    post("/admin/enable"); // does not revive a stopping instance
    HttpResponse<Buffer> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(503);
    assertThat(health.bodyAsJsonObject().getString("state")).isEqualTo("stopping");
  }

  @Test
  void store_status_shows_in_health_kpi_and_metrics() throws Exception {
    assertThat(get("/health").bodyAsJsonObject().getString("store")).isEqualTo("AVAILABLE");
    assertThat(parsePrometheus(get("/metrics")).get("hachat_store_available")).isEqualTo(1.0);
    storeUp.set(false);
    assertThat(get("/health").bodyAsJsonObject().getString("store")).isEqualTo("UNAVAILABLE");
    assertThat(get("/kpi").bodyAsJsonObject().getJsonObject("kpi").getBoolean("store_available"))
        .isFalse();
    assertThat(parsePrometheus(get("/metrics")).get("hachat_store_available")).isEqualTo(0.0);
  }

  @Test
  void cluster_lists_this_instance_first_and_the_others_with_liveness() throws Exception {
    JsonObject body = get("/cluster").bodyAsJsonObject();
    assertThat(body.getString("instanceId")).isEqualTo("cs-admin");
    assertThat(body.getBoolean("leaseValid")).isTrue();
    var list = body.getJsonArray("instances");
    assertThat(list.size()).isEqualTo(2);
    assertThat(list.getJsonObject(0).getString("instanceId")).isEqualTo("cs-admin");
    assertThat(list.getJsonObject(0).getBoolean("self")).isTrue();
    assertThat(list.getJsonObject(1).getString("instanceId")).isEqualTo("cs-other");
    assertThat(list.getJsonObject(1).getBoolean("alive")).isTrue();
    assertThat(list.getJsonObject(1).getInteger("sessions")).isEqualTo(2);
  }

  @Test
  void kpi_counts_a_chat() throws Exception {
    Joined j = await(engine.requestChat("Ann", "s", Map.of()));
    await(await(engine.find(j.chatId())).send(j.participantId(), j.secureKey(), "m1", "hi"));
    JsonObject kpi = get("/kpi").bodyAsJsonObject().getJsonObject("kpi");
    assertThat(kpi.getLong("session_created")).isEqualTo(1);
    assertThat(kpi.getLong("messages_in")).isEqualTo(1);
    assertThat(kpi.getLong("sessions_active")).isEqualTo(1);
    assertThat(kpi.getLong("message_deliver_count")).isEqualTo(1);
    assertThat(kpi.getDouble("message_deliver_max_ms")).isGreaterThanOrEqualTo(0.0);
    assertThat(get("/metrics").bodyAsString())
        .contains("hachat_message_deliver_latency_seconds_bucket");
  }

  @Test
  void metrics_is_valid_prometheus_text_and_counters_move_with_a_chat() throws Exception {
    Map<String, Double> before = parsePrometheus(get("/metrics"));
    Joined j = await(engine.requestChat("Ann", "s", Map.of()));
    await(await(engine.find(j.chatId())).send(j.participantId(), j.secureKey(), "m1", "hi"));
    Map<String, Double> after = parsePrometheus(get("/metrics"));

    assertThat(after.get("hachat_session_creations_total"))
        .isEqualTo(before.get("hachat_session_creations_total") + 1);
    assertThat(after.get("hachat_messages_in_total"))
        .isEqualTo(before.get("hachat_messages_in_total") + 1);
    assertThat(after.get("hachat_sessions_active")).isEqualTo(1.0);
    assertThat(after)
        .as("the restore gate's gauges, idle")
        .containsEntry("hachat_restores_running", 0.0)
        .containsEntry("hachat_restores_waiting", 0.0);
  }

  @Test
  void a_failed_operation_answers_its_typed_code_or_500_without_the_cause() {
    AdminServer.Failure typed =
        AdminServer.Failure.of(
            new dev.hachat.common.error.ChatException(
                dev.hachat.common.error.ErrorCode.STORE_UNAVAILABLE, "store down"));
    assertThat(typed.status()).isEqualTo(503);
    assertThat(typed.body().getJsonObject("error").getString("code"))
        .isEqualTo("STORE_UNAVAILABLE");
    AdminServer.Failure other =
        AdminServer.Failure.of(new IllegalStateException("secret at 10.0.0.7:9042"));
    assertThat(other.status()).isEqualTo(500);
    assertThat(other.body().getJsonObject("error").getString("code")).isEqualTo("INTERNAL");
    assertThat(other.body().encode()).doesNotContain("10.0.0.7").doesNotContain("IllegalState");
  }

  @Test
  void unknown_admin_path_is_a_json_404() throws Exception {
    HttpResponse<Buffer> r = get("/nope");
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code"))
        .isEqualTo("NOT_FOUND");
  }

  private static final Pattern SAMPLE =
      Pattern.compile(
          "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"(?:[^\"\\\\]|\\\\.)*\",?)*\\})?"
              + " (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
  private static final Pattern COMMENT =
      Pattern.compile(
          "# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))");

  /** A strict parser of the Prometheus text format: fails on any malformed line. */
  static Map<String, Double> parsePrometheus(HttpResponse<Buffer> response) {
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("content-type")).startsWith("text/plain; version=0.0.4");
    Map<String, Double> sums = new HashMap<>();
    for (String line : response.bodyAsString().split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        assertThat(COMMENT.matcher(line).matches()).as("comment line: %s", line).isTrue();
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      assertThat(m.matches()).as("sample line: %s", line).isTrue();
      sums.merge(
          m.group(1),
          Double.parseDouble(m.group(4).replace("+Inf", "Infinity").replace("-Inf", "-Infinity")),
          Double::sum);
    }
    return sums;
  }
}
