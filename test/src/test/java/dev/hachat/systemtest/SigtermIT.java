package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Graceful stop under load, all real processes: SIGTERM to the busiest of 3 instances while 100
 * customers and their agents chat. It hands its chats over, deregisters and exits 0; no chat is
 * left behind (the survivors hold all of them at once), no request fails, nothing is lost or
 * doubled.
 */
@Tag("system")
class SigtermIT {
  static final int CHATS = 100;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("sigterm_it")
          .instances(3)
          .webApiServers(2)
          .build();

  @Test
  void a_second_sigterm_stops_a_draining_instance_at_once_with_exit_code_1() throws Exception {
    // A lone instance (memory store) whose SIGTERM drains for up to a minute.
    try (InstanceProcess p =
        InstanceProcess.start(
            "cs-drain",
            java.util.Map.of(
                "hachat.ops.stop-drain-time", "60000", "hachat.ops.stop-timeout", "120000"))) {
      await(
          cluster
              .http()
              .post(p.webapiPort(), "127.0.0.1", "/v1/chats")
              .sendJsonObject(new io.vertx.core.json.JsonObject().put("nickname", "Ann")));
      p.sigterm();
      FailoverClients.awaitCondition(
          "the instance drains",
          10,
          () ->
              "draining"
                  .equals(
                      await(cluster.http().get(p.adminPort(), "127.0.0.1", "/health").send())
                          .bodyAsJsonObject()
                          .getString("state")));
      long t0 = System.nanoTime();
      p.sigterm();
      int exit = p.awaitExit(20);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(exit).as("exit code after the second SIGTERM").isEqualTo(1);
      System.out.printf("SIGTERM TWICE RESULT exit=%d second_sigterm_to_exit_ms=%d%n", exit, ms);
    }
  }

  @Test
  void sigterm_hands_every_chat_over_and_exits_zero() throws Exception {
    ChattingLoad load =
        new ChattingLoad(cluster.vertx(), cluster.webApis(), cluster.group(), CHATS);
    load.start();
    load.awaitRounds(2, 120);
    InstanceProcess victim = cluster.mostLoaded();
    long held = cluster.kpi(victim).getLong("sessions_active");

    long t0 = System.nanoTime();
    int exit = victim.stop(); // SIGTERM, then wait for the exit
    long stopMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(exit).as("exit code after SIGTERM").isZero();
    // Nothing left behind: the survivors hold every chat (adopted), before any client asks.
    long onSurvivors = cluster.sessionsOnOthers(victim);
    FailoverClients.awaitCondition(
        "the survivors hold every chat", 10, () -> cluster.sessionsOnOthers(victim) == CHATS);
    load.awaitRounds(3, 120);
    load.stopAndVerify();
    assertThat(load.owners().values()).doesNotContain(victim.instanceId());
    System.out.printf(
        "SIGTERM RESULT chats=%d held=%d exit=%d stop_ms=%d on_survivors_at_exit=%d acked=%d"
            + " failed_requests=%d lost=0 dup=0 open=%d%n",
        CHATS, held, exit, stopMs, onSurvivors, load.acknowledged(), load.failedRequests(), CHATS);
  }
}
