package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Evacuate under load, all real processes (Cassandra, 3 instances, 2 web API servers): 100
 * customers (GMS REST) and their agents (ESP) chat without pause while the busiest instance hands
 * all its chats to the others ({@code POST /admin/evacuate}). No customer request fails, nothing
 * acknowledged is lost or doubled, every chat stays open, and {@code session_evacuated} equals the
 * chats the instance held.
 */
@Tag("system")
class EvacuateIT {
  static final int CHATS = 100;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("evacuate_it")
          .instances(3)
          .webApiServers(2)
          .build();

  @Test
  void evacuating_the_busiest_instance_fails_no_request_and_loses_nothing() throws Exception {
    ChattingLoad load =
        new ChattingLoad(cluster.vertx(), cluster.webApis(), cluster.group(), CHATS);
    load.start();
    load.awaitRounds(2, 120);
    InstanceProcess victim = cluster.mostLoaded();
    long held = cluster.kpi(victim).getLong("sessions_active");

    JsonObject answer = cluster.adminPost(victim, "/admin/evacuate");
    JsonObject report = answer.getJsonObject("evacuation");
    System.out.printf("evacuate %s (%d chats): %s%n", victim.instanceId(), held, answer.encode());
    load.awaitRounds(3, 120); // every chat goes on, the moved ones at their new owner

    JsonObject kpi = cluster.kpi(victim);
    assertThat(report.getLong("evacuated")).as("handed over").isEqualTo(held);
    assertThat(report.getLong("failed")).isZero();
    assertThat(kpi.getLong("session_evacuated")).isEqualTo(held);
    assertThat(kpi.getLong("sessions_active")).isZero();
    assertThat(answer.getString("state")).isEqualTo("disabled");
    load.stopAndVerify();
    assertThat(load.owners().values()).doesNotContain(victim.instanceId());
    assertThat(cluster.sessionsOnOthers(victim)).isEqualTo(CHATS);
    System.out.printf(
        "EVACUATE RESULT chats=%d evacuated=%d session_evacuated=%d failed_handovers=%d"
            + " evacuate_ms=%d acked=%d failed_requests=%d lost=0 dup=0 open=%d%n",
        CHATS,
        report.getLong("evacuated"),
        kpi.getLong("session_evacuated"),
        report.getLong("failed"),
        report.getLong("tookMs"),
        load.acknowledged(),
        load.failedRequests(),
        CHATS);
  }
}
