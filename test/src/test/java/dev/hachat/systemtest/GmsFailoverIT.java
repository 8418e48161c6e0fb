package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.FailoverClients.AgentSeat;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transparent failover through the web API tier, all real processes: Cassandra, three instances,
 * two web API servers. 100 customers chat (GMS REST, half through each web API server) with agents
 * on the ESP port; the instance owning the most chats is killed with kill -9 while messages flow.
 * No customer request fails, and every acknowledged message is in its transcript exactly once, in
 * order. Prints the time from the kill to each affected chat's first successful request.
 */
@Tag("system")
class GmsFailoverIT {
  static final int CHATS = 100;
  static final int ROUNDS = 6;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("gms_failover")
          .instances(3)
          .webApiServers(2)
          .build();

  @Test
  void customers_never_see_a_failed_request_when_the_busiest_instance_is_killed() throws Exception {
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    FailoverClients agentSide = new FailoverClients(cluster.vertx(), cluster.addresses());
    // The extension waited until both web API servers list all 3 instances alive.

    List<GmsCustomers.Chat> chats = new ArrayList<>();
    List<AgentSeat> seats = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      GmsCustomers.Chat c = customers.requestChat(cluster.webApi(i % 2).port(), "Customer" + i);
      chats.add(c);
      seats.add(agentSide.accept(c.chatId));
    }

    int total = CHATS * ROUNDS * 2;
    CountDownLatch beforeKill = new CountDownLatch(total / 3);
    AtomicLong killedAt = new AtomicLong();
    Map<String, String> ownerAtKill = new ConcurrentHashMap<>();
    Map<String, Long> firstOkAfterKill = new ConcurrentHashMap<>();
    Map<String, List<String>> acked = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(CHATS);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      GmsCustomers.Chat c = chats.get(i);
      AgentSeat seat = seats.get(i);
      int n = i;
      workers.add(
          pool.submit(
              () -> {
                List<String> mine = new ArrayList<>();
                acked.put(c.chatId, mine);
                for (int round = 0; round < ROUNDS; round++) {
                  String text = "c" + n + "-r" + round;
                  customers.send(c, "c-" + round, text);
                  long kill = killedAt.get();
                  if (kill != 0) {
                    firstOkAfterKill.putIfAbsent(c.chatId, System.nanoTime() - kill);
                  }
                  mine.add(text);
                  beforeKill.countDown();
                  String reply = "a" + n + "-r" + round;
                  agentSide.agentSend(seat, "a-" + round, reply);
                  mine.add(reply);
                  beforeKill.countDown();
                }
                return null;
              }));
    }
    assertThat(beforeKill.await(5, TimeUnit.MINUTES)).as("chats make progress").isTrue();
    WebClient http = WebClient.create(cluster.vertx());
    InstanceProcess victim = cluster.mostLoaded();
    chats.forEach(c -> ownerAtKill.put(c.chatId, c.alias));
    victim.kill();
    killedAt.set(System.nanoTime());
    System.out.printf("kill -9 of %s (the most loaded instance)%n", victim.instanceId());
    try {
      for (Future<?> w : workers) {
        w.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(customers.failures.get()).as("failed customer requests").isZero();
    int affected = 0;
    for (GmsCustomers.Chat c : chats) {
      customers.assertTranscript(c, acked.get(c.chatId));
      if (victim.instanceId().equals(ownerAtKill.get(c.chatId))) {
        affected++;
        assertThat(c.alias).as("moved off the killed instance").isNotEqualTo(victim.instanceId());
      }
    }
    assertThat(affected).as("chats owned by the killed instance").isPositive();
    List<Long> times =
        chats.stream()
            .filter(c -> victim.instanceId().equals(ownerAtKill.get(c.chatId)))
            .map(c -> firstOkAfterKill.get(c.chatId))
            .filter(java.util.Objects::nonNull)
            .sorted()
            .toList();
    System.out.printf(
        "GMS FAILOVER RESULT chats=%d affected=%d acked=%d failed_requests=%d lost=0 dup=0"
            + " kill_to_first_ok_ms p50=%d p99=%d max=%d%n",
        CHATS,
        affected,
        total,
        customers.failures.get(),
        percentile(times, 50),
        percentile(times, 99),
        times.isEmpty() ? -1 : TimeUnit.NANOSECONDS.toMillis(times.get(times.size() - 1)));
  }

  private static long percentile(List<Long> sortedNanos, int pct) {
    if (sortedNanos.isEmpty()) {
      return -1;
    }
    int i = (int) Math.ceil(pct / 100.0 * sortedNanos.size()) - 1;
    return TimeUnit.NANOSECONDS.toMillis(sortedNanos.get(Math.max(0, i)));
  }
}
