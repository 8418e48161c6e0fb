package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.interaction.client.AgentSession;
import dev.hachat.systemtest.ClusterExtension;
import dev.hachat.systemtest.GmsCustomers;
import dev.hachat.systemtest.InstanceProcess;
import dev.hachat.systemtest.InteractionRouters;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The interaction tier with real processes: Cassandra, three instances, a web API server and two
 * interaction servers (one routing), {@code --agents} agents of capacity 3 logged in half at each
 * server through {@link AgentSession} (both servers in their list), accepting every offer at once.
 *
 * <ol>
 *   <li><b>Warm-up</b>, unmeasured: {@code --chats}/5 chats, accepted and closed.
 *   <li><b>Request → offer</b> with free agents: {@code --chats} chats over GMS REST at {@code
 *       --rate} per second, each closed once accepted; per chat the time from just before the
 *       customer's request until its offer reached an agent: p50, p99, max; beside it, the same
 *       requests' time until their own answer (the chat created), the part routing cannot beat.
 *   <li><b>Chats routed per second</b>: {@code --chats} chats requested by 32 threads at once;
 *       chats accepted per second from the first request to the last accept, beside the rate the
 *       same run created them at (its ceiling).
 *   <li><b>Instance take-over</b>: 30 chats stay open; kill -9 of the instance holding most; every
 *       customer then sends a message (retried every 100 ms until acknowledged); per chat of the
 *       killed instance, the time from the kill until its agent has that message.
 *   <li><b>Router take-over</b>: kill -9 of the routing interaction server, 10 chats requested at
 *       once; the time until the survivor routes ({@code /health}) and until the first and the last
 *       of them were accepted.
 * </ol>
 *
 * Every chat must be accepted exactly once and every message delivered once; a RESULT line ends it.
 *
 * <p>{@code scripts/bench interaction [--chats 300] [--agents 20] [--rate 20]}
 */
public final class InteractionBench {
  private static final int OPEN_CHATS = 30;
  private static final int AFTER_ROUTER_KILL = 10;
  private static final String SERVICE = "customer-support";

  private final Map<String, Long> offeredAt = new ConcurrentHashMap<>();
  private final Map<String, Long> acceptedAt = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> accepts = new ConcurrentHashMap<>();
  private final Map<String, Long> afterAt = new ConcurrentHashMap<>();
  private final AtomicInteger afterTwice = new AtomicInteger();
  private final Set<String> restored = ConcurrentHashMap.newKeySet();
  private final Map<String, AgentSession> agentOf = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> acceptErrors = new ConcurrentHashMap<>();
  private volatile boolean closeAtOnce = true;
  private ClusterExtension cluster;

  public static void main(String[] args) throws Exception {
    int chats = Integer.parseInt(BenchSupport.arg(args, "chats", "300"));
    int agents = Integer.parseInt(BenchSupport.arg(args, "agents", "20"));
    int rate = Integer.parseInt(BenchSupport.arg(args, "rate", "20"));
    boolean ok = new InteractionBench().run(chats, agents, rate);
    System.exit(ok ? 0 : 1);
  }

  boolean run(int chats, int agents, int rate) throws Exception {
    System.out.println("machine: " + BenchSupport.machine());
    ClusterExtension cluster =
        ClusterExtension.builder()
            .cassandra(1, "bench_ixn")
            .instances(3)
            .webApiServers(1)
            .interactionServers(2)
            .interactionProperty("ixn.routing.default-capacity", "3")
            .build();
    cluster.beforeAll(null);
    this.cluster = cluster;
    try {
      return measure(cluster, chats, agents, rate);
    } finally {
      cluster.afterAll(null);
    }
  }

  private boolean measure(ClusterExtension cluster, int chats, int agents, int rate)
      throws Exception {
    Vertx vertx = cluster.vertx();
    until(
        "one interaction server routes", 30_000, () -> InteractionRouters.of(cluster).size() == 1);
    List<String> at = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      at.add("127.0.0.1:" + cluster.interaction(i).port());
    }
    List<AgentSession> desks = new ArrayList<>();
    for (int i = 0; i < agents; i++) {
      String id = String.format("bench-agent-%02d", i);
      List<String> mine = List.of(at.get(i % 2), at.get(1 - i % 2));
      AgentSession[] self = new AgentSession[1];
      self[0] =
          await(
              AgentSession.start(
                  vertx,
                  mine,
                  new AgentSession.Credentials(id, id, null, null),
                  null,
                  e -> onEvent(self, e)));
      await(self[0].setState("Ready", ""));
      desks.add(self[0]);
    }
    GmsCustomers customers = new GmsCustomers(vertx);
    int gms = cluster.webApi(0).port();
    ExecutorService pool = Executors.newFixedThreadPool(32);
    try {
      // 1. warm-up
      List<GmsCustomers.Chat> warm = request(customers, gms, pool, chats / 5, 0);
      untilAccepted(warm);
      // 2. request -> offer at a steady rate
      Map<String, long[]> requestedAt = new ConcurrentHashMap<>();
      List<GmsCustomers.Chat> steady =
          request(customers, gms, pool, chats, 1_000_000_000L / rate, requestedAt);
      untilAccepted(steady);
      Histogram toOffer = new Histogram(3);
      Histogram toAnswer = new Histogram(3); // the same run's baseline: the request's own answer
      for (GmsCustomers.Chat c : steady) {
        long[] t = requestedAt.get(c.chatId);
        toOffer.recordValue(Math.max(0, (offeredAt.get(c.chatId) - t[0]) / 1_000_000));
        toAnswer.recordValue((t[1] - t[0]) / 1_000_000);
      }
      // 3. routed per second, as fast as the 32 threads create chats
      long burstStart = System.nanoTime();
      List<GmsCustomers.Chat> burst = request(customers, gms, pool, chats, 0);
      long created = System.nanoTime();
      untilAccepted(burst);
      long lastAccept =
          burst.stream().mapToLong(c -> acceptedAt.get(c.chatId)).max().orElse(created);
      double routedPerS = chats / ((lastAccept - burstStart) / 1e9);
      double createdPerS = chats / ((created - burstStart) / 1e9);
      // 4. instance take-over
      closeAtOnce = false;
      List<GmsCustomers.Chat> open = request(customers, gms, pool, OPEN_CHATS, 0);
      untilAccepted(open);
      InstanceProcess victim = cluster.mostLoaded();
      victim.kill();
      long killedAt = System.nanoTime();
      List<Future<?>> sends = new ArrayList<>();
      for (GmsCustomers.Chat c : open) {
        sends.add(
            Future.fromCompletionStage(
                java.util.concurrent.CompletableFuture.runAsync(
                    () -> sendAfter(customers, c), pool)));
      }
      await(Future.all(sends));
      until(
          "every agent has its customer's next message",
          60_000,
          () -> afterAt.size() == OPEN_CHATS);
      Histogram instanceTakeover = new Histogram(3);
      int affected = 0;
      for (GmsCustomers.Chat c : open) {
        if (restored.contains(c.chatId)) {
          affected++;
          instanceTakeover.recordValue((afterAt.get(c.chatId) - killedAt) / 1_000_000);
        }
      }
      // 5. router take-over
      closeAtOnce = true;
      int router = InteractionRouters.of(cluster).get(0);
      int survivor = 1 - router;
      cluster.interaction(router).kill();
      long routerKilledAt = System.nanoTime();
      List<GmsCustomers.Chat> during = request(customers, gms, pool, AFTER_ROUTER_KILL, 0);
      until("the survivor routes", 30_000, () -> InteractionRouters.routes(cluster, survivor));
      long routesAt = System.nanoTime();
      untilAccepted(during);
      long firstAccept = during.stream().mapToLong(c -> acceptedAt.get(c.chatId)).min().orElse(0);
      long lastDuring = during.stream().mapToLong(c -> acceptedAt.get(c.chatId)).max().orElse(0);

      int all = warm.size() + steady.size() + burst.size() + open.size() + during.size();
      long acceptedTwice = accepts.values().stream().filter(n -> n.get() > 1).count();
      boolean ok = acceptedAt.size() == all && acceptedTwice == 0 && afterTwice.get() == 0;
      System.out.printf(
          "accept errors: "
              + acceptErrors
              + "%n"
              + "RESULT interaction agents=%d chats=%d rate=%d offer_ms p50=%d p99=%d max=%d"
              + " request_answer_ms p50=%d p99=%d routed_per_s=%.0f created_per_s=%.0f instance_takeover_ms affected=%d p50=%d"
              + " max=%d router_takeover_ms routes=%d first_accept=%d last_accept=%d"
              + " accepted=%d/%d accepted_twice=%d delivered_twice=%d%n",
          agents,
          chats,
          rate,
          toOffer.getValueAtPercentile(50),
          toOffer.getValueAtPercentile(99),
          toOffer.getMaxValue(),
          toAnswer.getValueAtPercentile(50),
          toAnswer.getValueAtPercentile(99),
          routedPerS,
          createdPerS,
          affected,
          instanceTakeover.getValueAtPercentile(50),
          instanceTakeover.getMaxValue(),
          (routesAt - routerKilledAt) / 1_000_000,
          (firstAccept - routerKilledAt) / 1_000_000,
          (lastDuring - routerKilledAt) / 1_000_000,
          acceptedAt.size(),
          all,
          acceptedTwice,
          afterTwice.get());
      for (AgentSession d : desks) {
        d.stop();
      }
      return ok && affected > 0;
    } finally {
      pool.shutdownNow();
    }
  }

  private void onEvent(AgentSession[] self, JsonObject e) {
    long now = System.nanoTime();
    String chatId = e.getString("chatId", "");
    switch (e.getString("event", "")) {
      case "offer" -> {
        String id = e.getJsonObject("chat").getString("chatId");
        offeredAt.putIfAbsent(id, now);
        self[0]
            .accept(e.getString("offerId"))
            .onSuccess(
                chat -> {
                  acceptedAt.putIfAbsent(id, System.nanoTime());
                  accepts.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
                  agentOf.put(id, self[0]);
                  if (closeAtOnce) {
                    self[0].close(id, "bench");
                  }
                })
            .onFailure(
                t ->
                    acceptErrors
                        .computeIfAbsent(
                            t instanceof dev.hachat.common.error.ChatException c
                                ? c.code().name()
                                : t.getClass().getSimpleName(),
                            k -> new AtomicInteger())
                        .incrementAndGet());
      }
      case "entry" -> {
        JsonObject entry = e.getJsonObject("entry", new JsonObject());
        if (("after " + chatId).equals(entry.getString("text"))
            && afterAt.putIfAbsent(chatId, now) != null) {
          afterTwice.incrementAndGet();
        }
      }
      case "notice" -> {
        if ("RESTORED".equals(e.getString("code"))) {
          restored.add(chatId);
        }
      }
      default -> {}
    }
  }

  private static List<GmsCustomers.Chat> request(
      GmsCustomers customers, int gms, ExecutorService pool, int n, long everyNs) throws Exception {
    return request(customers, gms, pool, n, everyNs, new ConcurrentHashMap<>());
  }

  /** {@code n} chats, one every {@code everyNs} (0: as fast as the pool goes). */
  private static List<GmsCustomers.Chat> request(
      GmsCustomers customers,
      int gms,
      ExecutorService pool,
      int n,
      long everyNs,
      Map<String, long[]> requestedAt)
      throws Exception {
    List<java.util.concurrent.Future<GmsCustomers.Chat>> f = new ArrayList<>();
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      long due = start + i * everyNs;
      String nick = "Bench" + i;
      f.add(
          pool.submit(
              () -> {
                long wait = due - System.nanoTime();
                if (wait > 0) {
                  TimeUnit.NANOSECONDS.sleep(wait); // the arrival schedule, not synchronisation
                }
                long t0 = System.nanoTime();
                GmsCustomers.Chat c = customers.requestChat(gms, SERVICE, nick);
                requestedAt.put(c.chatId, new long[] {t0, System.nanoTime()});
                return c;
              }));
    }
    List<GmsCustomers.Chat> chats = new ArrayList<>();
    for (var x : f) {
      chats.add(x.get(2, TimeUnit.MINUTES));
    }
    return chats;
  }

  private void sendAfter(GmsCustomers customers, GmsCustomers.Chat c) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        customers.send(c, "after", "after " + c.chatId);
        return;
      } catch (Exception | AssertionError e) { // not acknowledged: the customer tries again
        try {
          TimeUnit.MILLISECONDS.sleep(100); // the customer's retry pace
        } catch (InterruptedException i) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void untilAccepted(List<GmsCustomers.Chat> chats) throws Exception {
    try {
      until(
          chats.size() + " chats accepted",
          120_000,
          () -> chats.stream().allMatch(c -> acceptedAt.containsKey(c.chatId)));
    } catch (IllegalStateException e) {
      List<String> missing =
          chats.stream().map(c -> c.chatId).filter(id -> !acceptedAt.containsKey(id)).toList();
      System.out.println(
          "NOT ACCEPTED "
              + missing.size()
              + " (offered: "
              + missing.stream().filter(offeredAt::containsKey).count()
              + ") accept errors "
              + acceptErrors
              + " e.g. "
              + missing.stream().limit(3).toList());
      for (int i = 0; i < cluster.interactions().size(); i++) {
        System.out.println("ixn" + (i + 1) + " status: " + status(i));
      }
      throw e;
    }
  }

  private JsonObject status(int i) {
    try {
      return await(cluster.http().get(cluster.interaction(i).port(), "127.0.0.1", "/status").send())
          .bodyAsJsonObject();
    } catch (Exception e) {
      return new JsonObject().put("error", e.toString());
    }
  }

  private static void until(String what, long timeoutMs, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out waiting until " + what);
      }
      TimeUnit.MILLISECONDS.sleep(20); // polling a condition with a deadline
    }
  }
}
