package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.PartitionTraffic.Ack;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A network partition between a chat's owner and the store, while the chat's customer and agent
 * still reach the owner (docs/consistency.md, "Network partitions"). Everything runs in a network
 * namespace of the test's own ({@link NetnsCluster}); nftables drops the packets between the
 * owner's address and Cassandra's. The owner must stop acknowledging within its lease (R1, R2), a
 * survivor must restore the chat and both sides go on there; after the cut heals, the old owner
 * holds no copy and sends the chat's clients to the new owner, and the transcript holds every
 * acknowledged message of both sides exactly once, in order.
 */
class PartitionIT {
  static final long HEARTBEAT_INTERVAL_MS = 500;
  static final long HEARTBEAT_TIMEOUT_MS = 3000;

  /** How long the cut lasts at least: well past the timeout, so the survivor takes over. */
  static final long CUT_MS = 6000;

  @RegisterExtension static final NetnsCluster cluster = new NetnsCluster(2, instanceProperties());

  static Map<String, String> instanceProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hachat.ha.heartbeat-interval", HEARTBEAT_INTERVAL_MS + "ms");
    p.put("hachat.ha.heartbeat-timeout", HEARTBEAT_TIMEOUT_MS + "ms");
    p.put("hachat.ha.session-restore-do-purge", "true");
    // Only to show that the test can fail (docs/consistency.md, test-only faults); never set in
    // the suite.
    String fault = System.getProperty("hachat.test.partition-fault", "");
    if (!fault.isEmpty()) {
      p.put("hachat-test-fault", fault);
    }
    return p;
  }

  @Test
  void an_owner_cut_off_from_the_store_stops_acknowledging_and_a_survivor_takes_over()
      throws Exception {
    partition(true);
  }

  @Test
  void a_one_way_cut_from_the_owner_to_the_store_is_survived_alike() throws Exception {
    partition(false);
  }

  private void partition(boolean bothWays) throws Exception {
    String label = bothWays ? "both ways" : "one way";
    cluster.awaitAllAccepting();
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    GmsCustomers.Chat chat = customers.requestChat(cluster.webApiPort(), "Partition " + label);
    InstanceProcess owner = cluster.instance(chat.alias);
    String a = owner.instanceId();
    long purgedBefore = cluster.kpi(owner).getLong("session_purged");
    OwnerProbe probe =
        new OwnerProbe(cluster.http(), cluster.addressOf(owner), owner.webapiPort(), chat);
    try (PartitionTraffic traffic = PartitionTraffic.started(cluster, customers, chat)) {
      long cutAt = System.nanoTime();
      long purgedAt;
      long healAt;
      try {
        if (bothWays) {
          cluster.net().cut(cluster.addressOf(owner), NetnsCluster.CASSANDRA);
        } else {
          cluster.net().cutOneWay(cluster.addressOf(owner), NetnsCluster.CASSANDRA);
        }
        assertThat(cluster.net().rules())
            .contains(
                "ip saddr " + cluster.addressOf(owner) + " ip daddr " + NetnsCluster.CASSANDRA);
        probe.start();
        purgedAt = awaitPurge(owner, purgedBefore); // asserted below, after what matters more
        traffic.awaitAcks(x -> !x.by().equals(a) && x.at() > cutAt, 1, "acknowledged elsewhere");
        long left = CUT_MS - ms(System.nanoTime() - cutAt);
        if (left > 0) {
          TimeUnit.MILLISECONDS.sleep(left); // the cut lasts a few seconds; not a test sync
        }
      } finally {
        cluster.net().heal();
        healAt = System.nanoTime();
        probe.close();
      }

      // After the heal the old owner sends the chat's clients to the new owner, never acknowledges.
      OwnerProbe.Answer notOwner =
          Awaitility.await("the old owner answers NOT_OWNER after the heal")
              .atMost(Duration.ofSeconds(45))
              .pollInterval(Duration.ofMillis(100))
              .until(
                  () -> {
                    OwnerProbe.Answer x = probe.sendOnce();
                    assertThat(x.status()).as("the old owner acknowledged %s", x).isNotEqualTo(200);
                    return x;
                  },
                  x -> x.code().equals("NOT_OWNER"));
      String newOwner = notOwner.error().getJsonObject("details").getString("owner");
      assertThat(newOwner).isNotEqualTo(a);
      // Both sides go on at the new owner for a moment after the heal, then stop.
      traffic.awaitAcks(x -> x.at() > notOwner.at(), 1, "acknowledged after the heal");
      traffic.stop();

      List<Ack> acks = traffic.acks();
      List<OwnerProbe.Answer> probed = probe.answers();
      long lastByOwner =
          acks.stream().filter(x -> x.by().equals(a)).mapToLong(Ack::at).max().orElseThrow();
      long firstElsewhere =
          acks.stream().filter(x -> !x.by().equals(a)).mapToLong(Ack::at).min().orElseThrow();
      System.out.printf(
          "PARTITION %s: owner %s -> %s; from the cut: owner's last ack %d ms, purge %d ms, first"
              + " refusal to the probe %d ms, first ack elsewhere %d ms, heal %d ms; heal -> "
              + "NOT_OWNER %d ms; %d acks (%d by the owner), probe answers %s, %d client retries%n",
          label,
          a,
          newOwner,
          ms(lastByOwner - cutAt),
          purgedAt == Long.MAX_VALUE ? -1 : ms(purgedAt - cutAt),
          probed.stream()
              .filter(x -> x.status() != 0)
              .mapToLong(x -> ms(x.at() - cutAt))
              .min()
              .orElse(-1),
          ms(firstElsewhere - cutAt),
          ms(healAt - cutAt),
          ms(notOwner.at() - healAt),
          acks.size(),
          acks.stream().filter(x -> x.by().equals(a)).count(),
          probed.stream().map(x -> x.status() + " " + x.code()).distinct().toList(),
          traffic.failures().size());

      assertThat(ms(lastByOwner - cutAt))
          .as("the cut-off owner's last acknowledgement came within its heartbeat timeout")
          .isLessThan(HEARTBEAT_TIMEOUT_MS);
      assertThat(probed).as("sends straight to the cut-off owner").isNotEmpty();
      assertThat(probed.stream().filter(x -> x.status() == 200))
          .as("the cut-off owner acknowledged none of the sends it got")
          .isEmpty();
      assertThat(acks.stream().filter(x -> x.by().equals(a) && x.at() > firstElsewhere))
          .as("no acknowledgement by the old owner once another instance acknowledged")
          .isEmpty();
      assertThat(purgedAt).as("the cut-off owner dropped its copy").isNotEqualTo(Long.MAX_VALUE);
      assertThat(ms(purgedAt - cutAt))
          .as("the cut-off owner dropped its copy within its heartbeat timeout")
          .isLessThan(HEARTBEAT_TIMEOUT_MS);

      // Nothing acknowledged is lost or doubled: the transcript as the new owner serves it.
      var transcript = customers.wholeTranscript(chat).getJsonArray("messages");
      assertThat(TranscriptCheck.problems(transcript, traffic.ackedInOrder()))
          .as("transcript of %s against %d acknowledged messages", chat.chatId, acks.size())
          .isEmpty();
      // The next message each way arrived: the agent was handed every customer message that
      // another instance acknowledged (the customer's own transcript, read above, holds the
      // agent's).
      List<String> customerElsewhere =
          acks.stream()
              .filter(x -> x.side().equals("customer") && !x.by().equals(a))
              .map(Ack::text)
              .toList();
      Awaitility.await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(traffic.agentSaw()).containsAll(customerElsewhere));
    } finally {
      cluster.net().heal();
      probe.close();
    }
  }

  /**
   * When the owner's KPI {@code session_purged} rose above {@code before} ({@link
   * System#nanoTime}), or {@link Long#MAX_VALUE} if it did not within the heartbeat timeout and
   * three seconds more.
   */
  private static long awaitPurge(InstanceProcess owner, long before) {
    try {
      Awaitility.await("the owner purges its copy")
          .atMost(Duration.ofMillis(HEARTBEAT_TIMEOUT_MS + 3000))
          .pollInterval(Duration.ofMillis(20))
          .until(() -> cluster.kpi(owner).getLong("session_purged") > before);
      return System.nanoTime();
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
