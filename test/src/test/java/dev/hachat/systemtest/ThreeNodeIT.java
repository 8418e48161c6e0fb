package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import dev.hachat.systemtest.FailoverClients.Customer;
import dev.hachat.systemtest.FailoverClients.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three Cassandra nodes with replication factor 3 and LOCAL_QUORUM: kill -9 of one node while 10
 * chats exchange messages through two instances. No client sees an error or has to retry, and every
 * transcript holds every message once, in order.
 */
class ThreeNodeIT {
  static final int CHATS = 10;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .cassandra(3, "three_nodes")
          .instances(2)
          .instanceProperty("hachat.store.cassandra.replication-factor", "3")
          .build();

  @Test
  void kill_9_of_one_of_three_nodes_costs_no_client_an_error() throws Exception {
    List<Instance> instances = cluster.addresses();
    FailoverClients clients = new FailoverClients(cluster.vertx(), instances);
    List<Customer> customers = new ArrayList<>();
    List<AgentSeat> agents = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = clients.requestChat(i % 2, "Customer" + i);
      customers.add(c);
      agents.add(clients.accept(c.chatId));
    }

    long retriesBefore = clients.retries(); // accepting chats of cs2 at cs1 follows a redirect
    // The chats run until 200 more messages were acknowledged after the kill.
    CountDownLatch beforeKill = new CountDownLatch(200);
    CountDownLatch afterKill = new CountDownLatch(200);
    AtomicBoolean killed = new AtomicBoolean();
    AtomicBoolean done = new AtomicBoolean();
    Map<String, List<String>> acked = new ConcurrentHashMap<>();
    ExecutorService pool = Executors.newFixedThreadPool(CHATS);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = customers.get(i);
      AgentSeat a = agents.get(i);
      List<String> mine = new ArrayList<>();
      acked.put(c.chatId, mine);
      workers.add(
          pool.submit(
              () -> {
                for (int round = 0; !done.get(); round++) {
                  String ct = "c" + round;
                  clients.customerSend(c, ct, ct, instances);
                  mine.add(ct);
                  (killed.get() ? afterKill : beforeKill).countDown();
                  String at = "a" + round;
                  clients.agentSend(a, at, at);
                  mine.add(at);
                  (killed.get() ? afterKill : beforeKill).countDown();
                }
                return null;
              }));
    }
    try {
      assertThat(beforeKill.await(2, TimeUnit.MINUTES)).isTrue();
      cluster.cassandra().killNode(2);
      killed.set(true);
      System.out.println("kill -9 of Cassandra node 2");
      assertThat(afterKill.await(2, TimeUnit.MINUTES)).as("chats go on").isTrue();
      done.set(true);
      for (Future<?> w : workers) {
        w.get(2, TimeUnit.MINUTES);
      }
    } finally {
      done.set(true);
      pool.shutdownNow();
    }

    assertThat(clients.retries() - retriesBefore)
        .as("requests that failed and were retried")
        .isZero();
    int total = 0;
    for (Customer c : customers) {
      List<Entry> t = clients.transcript(c, instances);
      List<String> messages =
          t.stream().filter(e -> e.type() == EntryType.MESSAGE).map(Entry::text).toList();
      assertThat(messages).containsExactlyElementsOf(acked.get(c.chatId));
      total += messages.size();
    }
    System.out.printf("%d messages in %d chats, 0 client errors%n", total, CHATS);
  }
}
