package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.FailoverClients.AgentSeat;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Customers (GMS REST through the web API servers, half through each) and their agents (ESP, {@link
 * dev.hachat.esp.client.FailoverEspClient}) chatting without pause while a test disturbs the
 * instances; then the proof: no failed customer request, every acknowledged message exactly once
 * and in order, every chat still open. Each chat runs on its own thread.
 */
final class ChattingLoad {
  private final GmsCustomers customers;
  private final FailoverClients agents;
  private final List<GmsCustomers.Chat> chats = new ArrayList<>();
  private final List<AgentSeat> seats = new ArrayList<>();
  private final Map<String, List<String>> acked = new ConcurrentHashMap<>();
  private final AtomicBoolean stop = new AtomicBoolean();
  private final AtomicInteger messages = new AtomicInteger();
  private final AtomicInteger minRounds = new AtomicInteger();
  private final Map<String, Integer> rounds = new ConcurrentHashMap<>();
  private ExecutorService pool;
  private final List<Future<?>> workers = new ArrayList<>();

  ChattingLoad(Vertx vertx, List<WebApiProcess> gms, InstanceGroup group, int n) throws Exception {
    this(new GmsCustomers(vertx), new FailoverClients(vertx, group.addresses()), gms, n);
  }

  /** {@code n} chats on {@code cluster}, with its credentials and TLS when it is secured. */
  ChattingLoad(ClusterExtension cluster, int n) throws Exception {
    this(
        new GmsCustomers(cluster.http()),
        new FailoverClients(cluster.vertx(), cluster.addresses(), cluster.secured()),
        cluster.webApis(),
        n);
  }

  private ChattingLoad(
      GmsCustomers customers, FailoverClients agents, List<WebApiProcess> gms, int n)
      throws Exception {
    this.customers = customers;
    this.agents = agents;
    for (int i = 0; i < n; i++) {
      GmsCustomers.Chat c = customers.requestChat(gms.get(i % gms.size()).port(), "Customer" + i);
      chats.add(c);
      seats.add(agents.accept(c.chatId));
    }
  }

  /** Starts every chat's conversation: customer message, agent reply, again, until stopped. */
  void start() {
    pool = Executors.newFixedThreadPool(chats.size());
    for (int i = 0; i < chats.size(); i++) {
      GmsCustomers.Chat c = chats.get(i);
      AgentSeat seat = seats.get(i);
      int n = i;
      List<String> mine = new java.util.concurrent.CopyOnWriteArrayList<>();
      acked.put(c.chatId, mine);
      rounds.put(c.chatId, 0);
      workers.add(
          pool.submit(
              () -> {
                for (int round = 0; !stop.get(); round++) {
                  String text = "c" + n + "-r" + round;
                  customers.send(c, "c-" + round, text);
                  mine.add(text);
                  String reply = "a" + n + "-r" + round;
                  agents.agentSend(seat, "a-" + round, reply);
                  mine.add(reply);
                  messages.addAndGet(2);
                  rounds.put(c.chatId, round + 1);
                }
                return null;
              }));
    }
  }

  /** Waits until every chat has completed at least {@code n} more rounds than now. */
  void awaitRounds(int n, int seconds) throws Exception {
    Map<String, Integer> base = Map.copyOf(rounds);
    FailoverClients.awaitCondition(
        "every chat made " + n + " more rounds",
        seconds,
        () -> {
          for (Future<?> w : workers) {
            if (w.isDone()) {
              w.get(); // a worker that failed fails the test now, with its cause
            }
          }
          return rounds.entrySet().stream()
              .allMatch(e -> e.getValue() >= base.getOrDefault(e.getKey(), 0) + n);
        });
  }

  /** Each chat's current owner as its customer last heard (the GMS alias). */
  Map<String, String> owners() {
    Map<String, String> m = new java.util.HashMap<>();
    chats.forEach(c -> m.put(c.chatId, c.alias));
    return m;
  }

  List<GmsCustomers.Chat> chats() {
    return chats;
  }

  int acknowledged() {
    return messages.get();
  }

  int failedRequests() {
    return customers.failures.get();
  }

  long retries() {
    return agents.retries();
  }

  /**
   * Stops the conversations and checks every transcript: gap-free, the acknowledged messages once
   * each in order, the chat not ended; no customer request failed.
   */
  void stopAndVerify() throws Exception {
    stop.set(true);
    try {
      for (Future<?> w : workers) {
        w.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(customers.failures.get()).as("failed customer requests").isZero();
    for (GmsCustomers.Chat c : chats) {
      JsonObject answer = customers.assertTranscript(c, acked.get(c.chatId));
      assertThat(answer.getBoolean("chatEnded")).as("chat %s still open", c.chatId).isFalse();
    }
  }
}
