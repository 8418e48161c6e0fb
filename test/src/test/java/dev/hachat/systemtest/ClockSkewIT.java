package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Instances whose wall clocks are off the machine's (docs/consistency.md, "Clocks"), on {@link
 * PartitionIT}'s harness and settings: {@code cs1} {@value #AHEAD}, {@code cs2} {@value #BEHIND}
 * (libfaketime, {@link FakeClock}), Cassandra and the web API server on the machine's clock. A chat
 * goes on across a kill -9 of its owner; the killed instance comes back under its old id with the
 * other offset, so its clock now reads ten seconds earlier than its last records do. Nothing the
 * instances decide may depend on their wall clocks: the survivor takes the chat over in the usual
 * time, the restarted instance is seen alive as soon as it is ready (its records are not written
 * "in the past" of its previous life) and owns its next chat alone, and nothing acknowledged is
 * lost or doubled.
 */
class ClockSkewIT {
  static final String AHEAD = "+5s";
  static final String BEHIND = "-5s";

  /** From the restarted instance's READY line until everybody sees it alive, at most. */
  static final long SEEN_ALIVE_WITHIN_MS = 1500;

  @RegisterExtension
  static final NetnsCluster cluster =
      new NetnsCluster(2, PartitionIT.instanceProperties()).withClocks(AHEAD, BEHIND);

  @Test
  void an_instance_back_ten_seconds_behind_its_old_clock_is_seen_at_once_and_loses_nothing()
      throws Exception {
    cluster.awaitAllAccepting();
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    InstanceProcess ahead = cluster.instances().get(0);
    InstanceProcess behind = cluster.instances().get(1);
    String id = ahead.instanceId();
    GmsCustomers.Chat chat = chatOn(customers, id, "clock skew");

    try (PartitionTraffic traffic = PartitionTraffic.started(cluster, customers, chat)) {
      long killAt = System.nanoTime();
      // Back at once, so its clock now reads earlier than its last records for a while.
      InstanceProcess restarted = cluster.restart(ahead, BEHIND);
      long readyAt = System.nanoTime();
      long seenByPeer = awaitSeenAlive(id, readyAt, () -> aliveIn(behind, id));
      long seenByWebApi = awaitSeenAlive(id, readyAt, () -> cluster.webApiSeesAlive(id));
      traffic.awaitAcks(x -> x.sent() > readyAt, 4, "acknowledged after the restart");
      traffic.stop();
      System.out.printf(
          "CLOCK SKEW %s (%s) killed, back (pid %d) with %s after %d ms; seen alive by %s (%s)"
              + " %d ms and by the web API server %d ms after its READY; acknowledged by %s%n",
          id,
          AHEAD,
          restarted.pid(),
          BEHIND,
          TimeUnit.NANOSECONDS.toMillis(readyAt - killAt),
          behind.instanceId(),
          BEHIND,
          seenByPeer,
          seenByWebApi,
          traffic.ownerRuns());
      new FaultRun(customers, chat, traffic, id, killAt, readyAt).assertInvariants();
      assertThat(seenByPeer)
          .as("ms from its READY until %s sees %s alive", behind.instanceId(), id)
          .isLessThanOrEqualTo(SEEN_ALIVE_WITHIN_MS);
      assertThat(seenByWebApi)
          .as("ms from its READY until the web API server sees %s alive", id)
          .isLessThanOrEqualTo(SEEN_ALIVE_WITHIN_MS);
    }

    // The restarted instance owns its next chat alone: nobody judges it dead on old records.
    cluster.awaitAllAccepting();
    GmsCustomers.Chat next = chatOn(customers, id, "after the restart");
    try (PartitionTraffic traffic = PartitionTraffic.started(cluster, customers, next)) {
      long from = System.nanoTime();
      traffic.awaitAcks(x -> x.sent() > from, 20, "acknowledged on the restarted " + id);
      traffic.stop();
      new FaultRun(customers, next, traffic, id, from, from).assertInvariants();
      assertThat(traffic.ownerRuns()).as("acknowledged by").containsExactly(id);
    }
  }

  /**
   * A new chat that the web API server placed on instance {@code id}: asks for chats until one
   * lands there (the others stay open, idle), four at most.
   */
  private static GmsCustomers.Chat chatOn(GmsCustomers customers, String id, String nickname)
      throws Exception {
    for (int i = 0; i < 4; i++) {
      GmsCustomers.Chat c = customers.requestChat(cluster.webApiPort(), nickname);
      if (id.equals(c.alias)) {
        return c;
      }
    }
    throw new AssertionError("the web API server placed no chat on " + id + " in four");
  }

  private boolean aliveIn(InstanceProcess observer, String id) throws Exception {
    return cluster.clusterSeenBy(observer).getJsonArray("instances").stream()
        .map(io.vertx.core.json.JsonObject.class::cast)
        .anyMatch(i -> id.equals(i.getString("instanceId")) && i.getBoolean("alive", false));
  }

  /**
   * Milliseconds from {@code from} ({@link System#nanoTime}) until {@code seen} holds (polled every
   * 50 ms, 30 s at most).
   */
  private static long awaitSeenAlive(
      String id, long from, java.util.concurrent.Callable<Boolean> seen) {
    Awaitility.await(id + " seen alive")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .ignoreExceptions()
        .until(seen);
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - from);
  }
}
