package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped rules and dashboard against a real Prometheus scraping a real cluster: Cassandra,
 * PostgreSQL (contact history), two instances and a web API server as OS processes, customers (GMS
 * REST) and agents (ESP) chatting throughout. Prometheus (Debian's) runs the shipped example
 * configuration with these targets and 1 s scrape and evaluation intervals, and the shipped rules
 * with their own {@code for:} durations. kill -9 of an instance makes HachatInstanceDown fire
 * through {@code /api/v1/alerts}, a restart on the same ports resolves it; then every PromQL
 * expression of the Grafana dashboard returns data.
 */
@Tag("system")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrometheusAlertIT {
  static final int CHATS = 6;
  static final String ALERT = "HachatInstanceDown";

  /** The rule's {@code for: 20s}, a scrape and an evaluation (1 s each), and a loaded machine. */
  static final int FIRES_WITHIN_SECONDS = 45;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("prometheus_it")
          .contactHistory()
          .instances(2)
          .webApiServers(1)
          .build();

  static PrometheusServer prometheus;
  static ChattingLoad load;
  static InstanceProcess restarted;

  @BeforeAll
  static void startPrometheusAndChats() throws Exception {
    OpsTools.install("prometheus");
    prometheus = PrometheusServer.start(PrometheusConfig.of(cluster).yaml());
    FailoverClients.awaitCondition("all 3 targets up", 60, () -> prometheus.targetsUp() == 3);
    load = new ChattingLoad(cluster.vertx(), cluster.webApis(), cluster.group(), CHATS);
    load.start();
    load.awaitRounds(2, 120);
  }

  @AfterAll
  static void stopPrometheus() throws Exception {
    try {
      if (restarted != null) {
        restarted.close();
      }
    } finally {
      if (prometheus != null) {
        prometheus.close();
      }
    }
  }

  @Test
  @Order(1)
  void instance_down_fires_after_kill_9_and_resolves_after_restart() throws Exception {
    InstanceProcess victim = cluster.instance(1);
    String id = victim.instanceId();
    assertThat(prometheus.alertState(ALERT, id)).isEqualTo("inactive");

    long killedAt = System.nanoTime();
    victim.kill();
    long[] pendingAt = {0};
    FailoverClients.awaitCondition(
        ALERT + " firing for " + id,
        FIRES_WITHIN_SECONDS,
        () -> {
          String state = prometheus.alertState(ALERT, id);
          if (pendingAt[0] == 0 && !"inactive".equals(state)) {
            pendingAt[0] = System.nanoTime();
          }
          return "firing".equals(state);
        });
    double fired = seconds(killedAt);
    double pending = (pendingAt[0] - killedAt) / 1e9;
    assertThat(prometheus.alertState(ALERT, cluster.instance(0).instanceId()))
        .as("the survivor is not down")
        .isEqualTo("inactive");
    load.awaitRounds(2, 120); // the survivor restored the chats: they go on

    long restartAt = System.nanoTime();
    restarted = restart(victim);
    double ready = seconds(restartAt);
    FailoverClients.awaitCondition(
        ALERT + " resolved for " + id,
        60,
        () -> "inactive".equals(prometheus.alertState(ALERT, id)));
    double resolved = seconds(restartAt);
    assertThat(prometheus.vector("up{job=\"hachat-instance\",instance=\"" + id + "\"} == 1"))
        .hasSize(1);
    load.awaitRounds(1, 120);
    load.stopAndVerify(); // nothing lost through the kill, every chat still open
    System.out.printf(
        "RESULT prometheus-alert: %s pending %.1f s and firing %.1f s after kill -9 (for: 20s,"
            + " scrape/eval 1 s); the restarted instance READY after %.1f s, the alert resolved"
            + " %.1f s after that; %d chats went on throughout, nothing lost%n",
        ALERT, pending, fired, ready, resolved - ready, CHATS);
  }

  /** The killed instance again: the same id, options and ports, so Prometheus finds it. */
  private static InstanceProcess restart(InstanceProcess dead) throws Exception {
    Map<String, String> props = new LinkedHashMap<>(cluster.instanceProperties());
    props.put("hachat.webapi.port", String.valueOf(dead.webapiPort()));
    props.put("hachat.esp.port", String.valueOf(dead.espPort()));
    props.put("hachat.admin.port", String.valueOf(dead.adminPort()));
    InstanceProcess p =
        InstanceProcess.start(
            dead.instanceId(), props, List.of("-Xmx256m"), dead.instanceId() + "-restarted");
    cluster.adopt(p.pid()); // killed with the cluster even if this class's clean-up never runs
    return p;
  }

  @Test
  @Order(2)
  void every_dashboard_query_returns_data_and_a_misspelt_one_is_reported() throws Exception {
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    for (GmsCustomers.Chat c : load.chats()) {
      customers.op(c, "disconnect", Map.of()); // closed: final transcripts follow
    }
    int status =
        await(
                cluster
                    .http()
                    .post(cluster.instance(0).webapiPort(), "127.0.0.1", "/v1/chats/none/refresh")
                    .sendJsonObject(
                        new JsonObject().put("participantId", "p").put("secureKey", "k")))
            .statusCode();
    assertThat(status).as("a CHAT_NOT_FOUND for the errors panel").isEqualTo(404);
    FailoverClients.awaitCondition(
        "Prometheus sees the final transcripts and the error",
        60,
        () ->
            value("sum(hachat_final_transcripts_written_total)") >= CHATS
                && value("sum(hachat_errors_total{code=\"CHAT_NOT_FOUND\"})") >= 1
                && value("sum(hachat_session_restored_total)") >= 1);

    JsonObject dashboard = new JsonObject(Files.readString(DashboardQueries.DASHBOARD));
    assertThat(DashboardQueries.shapeProblems(dashboard)).as("dashboard shape").isEmpty();
    List<DashboardQueries.Query> queries = DashboardQueries.of(dashboard);
    List<String> problems = DashboardQueries.problems(prometheus, queries);
    assertThat(problems).as("dashboard queries without data").isEmpty();

    DashboardQueries.Query sessions =
        queries.stream()
            .filter(q -> q.promql().contains("hachat_sessions_active{"))
            .findFirst()
            .get();
    List<DashboardQueries.Query> wrong =
        List.of(
            new DashboardQueries.Query(
                "misspelt",
                sessions.promql().replace("hachat_sessions_active", "hachat_sesions_active")),
            new DashboardQueries.Query("unbalanced", "sum(rate(hachat_messages_in_total[1m])"));
    List<String> reported = DashboardQueries.problems(prometheus, wrong);
    assertThat(reported).hasSize(2);
    assertThat(reported.get(0)).startsWith("misspelt: no data for");
    assertThat(reported.get(1)).startsWith("unbalanced: bad_data:");
    System.out.printf(
        "RESULT dashboard-queries: %d expressions of %s all returned data; a misspelt and an"
            + " unbalanced one were reported: %s%n",
        queries.size(), DashboardQueries.DASHBOARD.getFileName(), reported);
  }

  private static double value(String promql) throws Exception {
    var v = prometheus.vector(promql);
    return v.isEmpty()
        ? 0
        : Double.parseDouble(v.getJsonObject(0).getJsonArray("value").getString(1));
  }

  private static double seconds(long sinceNanos) {
    return Duration.ofNanos(System.nanoTime() - sinceNanos).toMillis() / 1000.0;
  }
}
