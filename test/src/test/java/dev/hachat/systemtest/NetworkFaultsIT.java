package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.PartitionTraffic.Ack;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Network faults that are not a clean cut between an owner and the store (docs/consistency.md,
 * "Network partitions"), on {@link PartitionIT}'s harness and settings: random packet loss between
 * a chat's owner and Cassandra, a 200 ms delay each way on that path (each instance reaches
 * Cassandra through a delaying proxy of its own: the kernels here have no {@code tc netem}), and a
 * cut between the web API server and the owner. Each fault lasts {@value #FAULT_MS} ms while the
 * chat's customer (through the web API server) and agent (over ESP) send without pause, then heals;
 * each test checks what PartitionIT checks: nothing acknowledged lost or doubled, one instance
 * acknowledging at a time, and the chat going on.
 */
class NetworkFaultsIT {
  /** How long each fault lasts. */
  static final long FAULT_MS = 8000;

  static final int LOSS_PERCENT = 10;

  /** The store path's delay, each way. */
  static final long DELAY_MS = 200;

  @RegisterExtension
  static final NetnsCluster cluster =
      new NetnsCluster(2, PartitionIT.instanceProperties()).withStoreProxies();

  @Test
  void ten_percent_loss_between_the_owner_and_the_store_slows_the_chat_and_loses_nothing()
      throws Exception {
    long[] counted = new long[2];
    try (FaultRun r =
        underFault(
            "store-path loss",
            owner ->
                cluster
                    .net()
                    .lose(cluster.addressOf(owner), cluster.storeAddressOf(owner), LOSS_PERCENT),
            () -> System.arraycopy(cluster.net().lossCounts(), 0, counted, 0, 2))) {
      List<Ack> before = r.acks(x -> x.at() < r.faultAt());
      List<Ack> during = r.acks(x -> x.sent() >= r.faultAt() && x.at() <= r.healAt());
      System.out.printf(
          "NETWORK FAULT store-path loss %d %%: %d of %d packets between %s and Cassandra dropped;"
              + " ack latency %s; acknowledged by %s; %d client retries%n",
          LOSS_PERCENT,
          counted[1],
          counted[0],
          r.owner(),
          latencies(before, during),
          r.traffic().ownerRuns(),
          r.traffic().failures().size());
      r.assertInvariants();
      assertThat(counted[1]).as("packets the loss rule dropped").isPositive();
      for (String side : List.of("customer", "agent")) {
        assertThat(during.stream().filter(x -> x.side().equals(side)))
            .as("%s messages sent and acknowledged while packets were lost", side)
            .hasSizeGreaterThanOrEqualTo(3);
      }
    }
  }

  @Test
  void a_200_ms_delay_between_the_owner_and_the_store_slows_the_chat_and_loses_nothing()
      throws Exception {
    try (FaultRun r =
        underFault("store-path delay", owner -> cluster.delayStore(owner, DELAY_MS), () -> {})) {
      List<Ack> before = r.acks(x -> x.at() < r.faultAt());
      // Sent once the delay was on, answered before it was off.
      List<Ack> during =
          r.acks(x -> x.sent() >= r.faultAt() + 1_000_000_000L && x.at() <= r.healAt());
      System.out.printf(
          "NETWORK FAULT store-path delay %d ms each way between %s and Cassandra: ack latency"
              + " %s; acknowledged by %s; %d client retries %s%n",
          DELAY_MS,
          r.owner(),
          latencies(before, during),
          r.traffic().ownerRuns(),
          r.traffic().failures().size(),
          r.traffic().failures().stream().limit(3).toList());
      r.assertInvariants();
      for (String side : List.of("customer", "agent")) {
        List<Ack> mine = during.stream().filter(x -> x.side().equals(side)).toList();
        assertThat(mine)
            .as("%s messages sent and acknowledged while the store path was slow", side)
            .hasSizeGreaterThanOrEqualTo(3);
        assertThat(percentile(mine, 50))
            .as("%s ack latency p50 (ms) under a %d ms delay each way", side, DELAY_MS)
            .isGreaterThanOrEqualTo(2 * DELAY_MS);
      }
    }
  }

  @Test
  void a_cut_between_the_web_api_server_and_the_owner_holds_the_customer_and_loses_nothing()
      throws Exception {
    try (FaultRun r =
        underFault(
            "web API cut",
            owner -> cluster.net().cut(NetnsCluster.WEB_API, cluster.addressOf(owner)),
            () -> {})) {
      String a = r.owner();
      List<Ack> customerAcrossCut =
          r.acks(x -> x.side().equals("customer") && x.sent() < r.healAt() && x.at() > r.healAt());
      List<Ack> customerDuring =
          r.acks(x -> x.side().equals("customer") && x.sent() > r.faultAt() && x.at() < r.healAt());
      List<Ack> agentDuring =
          r.acks(x -> x.side().equals("agent") && x.sent() > r.faultAt() && x.at() < r.healAt());
      long customerResumed =
          r.acks(x -> x.side().equals("customer") && x.at() > r.healAt()).stream()
              .mapToLong(Ack::at)
              .min()
              .orElseThrow();
      System.out.printf(
          "NETWORK FAULT web API cut: owner %s; during the cut %d agent acks (p50 %d ms) and %d"
              + " customer acks; the customer's send across the cut took %s ms; first customer ack"
              + " %d ms after the heal; acknowledged by %s; customer refusals %s%n",
          a,
          agentDuring.size(),
          percentile(agentDuring, 50),
          customerDuring.size(),
          customerAcrossCut.stream().map(Ack::latencyMillis).toList(),
          ms(customerResumed - r.healAt()),
          r.traffic().ownerRuns(),
          r.traffic().failures().stream().limit(3).toList());
      r.assertInvariants();
      assertThat(agentDuring)
          .as("the agent's messages the owner acknowledged during the cut")
          .hasSizeGreaterThanOrEqualTo(3);
      assertThat(customerDuring)
          .as("customer messages acknowledged while the web API server could not reach the owner")
          .isEmpty();
    }
  }

  /** Injects a fault on the chat's owner. */
  private interface Fault {
    void inject(InstanceProcess owner) throws Exception;
  }

  /** Reads what the fault left (its counters) before it is healed. */
  private interface Reading {
    void read() throws Exception;
  }

  /**
   * A new chat through the web API server, its agent over ESP, both sending; after three
   * acknowledgements each, {@code fault} on the owner for {@value #FAULT_MS} ms, then the heal;
   * once both sides were acknowledged again, the traffic stops.
   */
  private FaultRun underFault(String label, Fault fault, Reading reading) throws Exception {
    cluster.awaitAllAccepting();
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    GmsCustomers.Chat chat = customers.requestChat(cluster.webApiPort(), label);
    InstanceProcess owner = cluster.instance(chat.alias);
    PartitionTraffic traffic = PartitionTraffic.started(cluster, customers, chat);
    try {
      long faultAt = System.nanoTime();
      long healAt;
      try {
        fault.inject(owner);
        TimeUnit.MILLISECONDS.sleep(FAULT_MS); // the fault lasts a while; not a test sync
        reading.read();
      } finally {
        heal(owner);
        healAt = System.nanoTime();
      }
      traffic.awaitAcks(x -> x.sent() > healAt, 1, "acknowledged after the heal (" + label + ")");
      traffic.stop();
      return new FaultRun(customers, chat, traffic, owner.instanceId(), faultAt, healAt);
    } catch (Exception | AssertionError e) {
      heal(owner);
      traffic.close();
      throw e;
    }
  }

  /** Removes every fault rule and the owner's store delay. */
  private static void heal(InstanceProcess owner) throws Exception {
    cluster.net().heal();
    cluster.delayStore(owner, 0);
  }

  /**
   * The {@code p}-th percentile of the acknowledgements' latencies (100: the maximum); -1: none.
   */
  private static long percentile(List<Ack> acks, int p) {
    long[] sorted = acks.stream().mapToLong(Ack::latencyMillis).sorted().toArray();
    if (sorted.length == 0) {
      return -1;
    }
    return sorted[Math.max(0, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
  }

  /** {@code before p50 … ms max … ms, during p50 … ms max … ms (N acks)} */
  private static String latencies(List<Ack> before, List<Ack> during) {
    return String.format(
        "before p50 %d ms max %d ms, during p50 %d ms max %d ms (%d acks)",
        percentile(before, 50),
        percentile(before, 100),
        percentile(during, 50),
        percentile(during, 100),
        during.size());
  }

  private static long ms(long nanos) {
    return TimeUnit.NANOSECONDS.toMillis(nanos);
  }
}
