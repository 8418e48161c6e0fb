package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import dev.hachat.systemtest.FailoverClients.Customer;
import dev.hachat.systemtest.FailoverClients.Instance;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * kill -9 of the owning instance, twice, with real processes: a real store, three instances, 50
 * chats each with a customer (webapi port) and an agent (ESP port) exchanging messages with client
 * message ids. Afterwards every acknowledged message is in its chat's transcript exactly once, in
 * the order it was acknowledged, with indexes that never go back.
 */
abstract class KillRestoreScenario {
  static final int CHATS = 50;
  static final int ROUNDS = 12;

  /** Three instances on the store under test: the subclass's {@link ClusterExtension}. */
  abstract ClusterExtension cluster();

  @Test
  void every_acknowledged_message_survives_repeated_kill_9_exactly_once_in_order()
      throws Exception {
    List<Instance> instances = cluster().addresses();
    List<Instance> alive = new CopyOnWriteArrayList<>(instances);
    FailoverClients clients = new FailoverClients(cluster().vertx(), instances);

    // Every chat starts on cs1, so the first kill takes all 50 of them.
    List<Customer> customers = new ArrayList<>();
    List<AgentSeat> agents = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = clients.requestChat(0, "Customer" + i);
      customers.add(c);
      agents.add(clients.accept(c.chatId));
    }

    // One thread per chat sends customer and agent messages back to back; the kills happen
    // while they run, so sends are in flight (saved or not) when an instance dies.
    int total = CHATS * ROUNDS * 2;
    CountDownLatch firstKill = new CountDownLatch(total / 3);
    CountDownLatch secondKill = new CountDownLatch(2 * total / 3);
    Map<String, List<String>> acked = new ConcurrentHashMap<>(); // chat -> texts in ack order
    ExecutorService pool = Executors.newFixedThreadPool(CHATS);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = customers.get(i);
      AgentSeat a = agents.get(i);
      int n = i;
      workers.add(
          pool.submit(
              () -> {
                List<String> mine = new ArrayList<>();
                acked.put(c.chatId, mine);
                long last = 0;
                for (int round = 0; round < ROUNDS; round++) {
                  String ctext = "c" + n + "-r" + round;
                  last = ackedAt(last, clients.customerSend(c, "c-" + round, ctext, alive));
                  mine.add(ctext);
                  firstKill.countDown();
                  secondKill.countDown();
                  String atext = "a" + n + "-r" + round;
                  last = ackedAt(last, clients.agentSend(a, "a-" + round, atext));
                  mine.add(atext);
                  firstKill.countDown();
                  secondKill.countDown();
                }
                return null;
              }));
    }
    WebClient http = WebClient.create(cluster().vertx());
    for (CountDownLatch progress : List.of(firstKill, secondKill)) {
      assertThat(progress.await(5, TimeUnit.MINUTES)).as("chats make progress").isTrue();
      InstanceProcess victim = mostLoaded(http, alive);
      long pid = victim.pid();
      victim.kill();
      alive.removeIf(i -> i.id().equals(victim.instanceId()));
      System.out.printf(
          "kill -9 of %s (pid %d) with sends in flight; %d instances left%n",
          victim.instanceId(), pid, alive.size());
    }
    try {
      for (Future<?> w : workers) {
        w.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    int restoredNotices = 0;
    for (Customer c : customers) {
      List<Entry> t = clients.transcript(c, alive);
      for (int k = 0; k < t.size(); k++) {
        assertThat(t.get(k).index()).as("gap-free indexes in %s", c.chatId).isEqualTo(k + 1);
      }
      List<String> messages =
          t.stream().filter(e -> e.type() == EntryType.MESSAGE).map(Entry::text).toList();
      assertThat(messages)
          .as("chat %s holds every acknowledged message once, in order", c.chatId)
          .containsExactlyElementsOf(acked.get(c.chatId));
      restoredNotices += (int) t.stream().filter(e -> e.type() == EntryType.NOTICE).count();
    }
    System.out.printf(
        "%d chats, %d acknowledged messages, %d resends after failures%n",
        CHATS, total, clients.retries());
    assertThat(clients.retries()).as("sends were in flight at the kills").isPositive();
    assertThat(restoredNotices)
        .as("every chat was restored at least once")
        .isGreaterThanOrEqualTo(CHATS);
  }

  /** An acknowledged index must be beyond every earlier one of the same chat. */
  private static long ackedAt(long before, long index) {
    assertThat(index).as("index after %d", before).isGreaterThan(before);
    return index;
  }

  /** The live instance holding the most sessions (by its /kpi). */
  private InstanceProcess mostLoaded(WebClient http, List<Instance> alive) throws Exception {
    return cluster()
        .group()
        .mostLoaded(http, p -> alive.stream().anyMatch(i -> i.id().equals(p.instanceId())));
  }
}
