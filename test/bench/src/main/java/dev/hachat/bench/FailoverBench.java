package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.esp.client.FailoverEspClientOptions;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * Failover time: K chats (customer on the webapi port, agent through {@link FailoverEspClient}) on
 * one of three instances; kill -9 of it; then every customer sends its next message to a survivor
 * (following NOT_OWNER redirects, retrying every 100 ms). Per chat, the time from the kill until
 * the agent has that message: p50, p99, max. Messages lost (never delivered within 60 s) and
 * duplicated (delivered twice) are counted; both must be 0.
 *
 * <p>{@code scripts/bench failover [--sessions 100]}
 */
public final class FailoverBench {
  private final Vertx vertx = Vertx.vertx();
  private final java.util.Set<String> acked = ConcurrentHashMap.newKeySet();
  private final BenchSupport.Store store;

  /** On a Cassandra node of its own. */
  FailoverBench() {
    this(BenchSupport.Store.OWN_NODE);
  }

  /** The data in {@code store}. */
  FailoverBench(BenchSupport.Store store) {
    this.store = store;
  }

  public static void main(String[] args) throws Exception {
    int sessions = Integer.parseInt(BenchSupport.arg(args, "sessions", "100"));
    boolean ok = new FailoverBench().run(sessions);
    System.exit(ok ? 0 : 1);
  }

  boolean run(int sessions) throws Exception {
    System.out.println("machine: " + BenchSupport.machine());
    List<InstanceProcess> instances = new ArrayList<>();
    try (CassandraCluster own = store.startOwn()) {
      CassandraCluster cassandra = store.node(own);
      for (int i = 1; i <= 3; i++) {
        instances.add(
            InstanceProcess.start(
                "bench-cs" + i, BenchSupport.cassandraInstance(cassandra, store.keyspace())));
      }
      return measure(instances, sessions);
    } finally {
      instances.forEach(BenchSupport::closeQuietly);
      await(vertx.close());
    }
  }

  private boolean measure(List<InstanceProcess> instances, int sessions) throws Exception {
    WebClient http = BenchSupport.http(vertx, 200);
    InstanceProcess victim = instances.get(0);
    FailoverEspClient desk =
        await(
            FailoverEspClient.connect(
                vertx,
                new FailoverEspClientOptions()
                    .setEndpoints(instances.stream().map(p -> "127.0.0.1:" + p.espPort()).toList())
                    .setAgentId("bench-agent")
                    .setRequestTimeout(10_000)
                    .setFailoverTimeout(60_000)));
    Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
    acked.clear();
    AtomicInteger duplicates = new AtomicInteger();
    CountDownLatch allDelivered = new CountDownLatch(sessions);
    desk.onEntry(
        (chatId, e) -> {
          if (e.type() == EntryType.MESSAGE
              && e.participantType() == ParticipantType.CLIENT
              && "after".equals(e.clientMessageId())) {
            if (deliveredAt.putIfAbsent(chatId, System.nanoTime()) == null) {
              allDelivered.countDown();
            } else {
              duplicates.incrementAndGet();
            }
          }
        });
    List<JsonObject> customers = new ArrayList<>();
    List<Future<?>> setup = new ArrayList<>();
    for (int i = 0; i < sessions; i++) {
      JsonObject c =
          await(
                  http.post(victim.webapiPort(), "127.0.0.1", "/v1/chats")
                      .sendJsonObject(new JsonObject().put("nickname", "c" + i)))
              .bodyAsJsonObject();
      customers.add(c);
      setup.add(desk.accept(c.getString("chatId")));
    }
    await(Future.all(setup));
    System.out.printf("%d chats on %s; kill -9%n", sessions, victim.instanceId());

    long killedAt = System.nanoTime();
    victim.kill();
    List<Integer> survivors = List.of(instances.get(1).webapiPort(), instances.get(2).webapiPort());
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < sessions; i++) {
      send(http, customers.get(i), survivors.get(i % 2), survivors, deadline);
    }
    boolean complete = allDelivered.await(65, TimeUnit.SECONDS);
    Histogram h = new Histogram(120_000_000L, 3);
    deliveredAt.values().forEach(t -> h.recordValue(Math.max(1, (t - killedAt) / 1000)));
    int lost = sessions - deliveredAt.size();
    List<String> rows = new ArrayList<>();
    deliveredAt.forEach(
        (chat, t) ->
            rows.add(
                String.format(
                    java.util.Locale.ROOT, "%s,%.1f", chat, (t - killedAt) / 1_000_000.0)));
    BenchSupport.writeCsv("failover-" + sessions + ".csv", "chat,ms_from_kill_to_delivered", rows);
    for (JsonObject c : customers) {
      String chatId = c.getString("chatId");
      if (!deliveredAt.containsKey(chatId)) {
        System.out.printf(
            "not delivered: chat %s, acknowledged to the customer: %s, agent at %s%n",
            chatId, acked.contains(chatId), desk.endpointOf(chatId));
      }
    }
    System.out.printf(
        "%nRESULT failover: sessions=%d p50_ms=%s p99_ms=%s max_ms=%.1f lost=%d duplicated=%d%n",
        sessions,
        BenchSupport.ms(h, 50),
        BenchSupport.ms(h, 99),
        h.getMaxValue() / 1000.0,
        lost,
        duplicates.get());
    return complete && lost == 0 && duplicates.get() == 0;
  }

  /** The customer's next message, resent to a survivor until acknowledged (same id). */
  private void send(
      WebClient http, JsonObject c, int port, List<Integer> survivors, long deadline) {
    attempt(http, c, port, survivors, deadline)
        .onFailure(e -> System.out.println("send failed for good: " + e));
  }

  private Future<Void> attempt(
      WebClient http, JsonObject c, int port, List<Integer> survivors, long deadline) {
    if (System.nanoTime() > deadline) {
      return Future.failedFuture(new IllegalStateException("deadline"));
    }
    Promise<Void> p = Promise.promise();
    http.post(port, "127.0.0.1", "/v1/chats/" + c.getString("chatId") + "/send")
        .timeout(5000)
        .sendJsonObject(
            new JsonObject()
                .put("participantId", c.getString("participantId"))
                .put("secureKey", c.getString("secureKey"))
                .put("clientMessageId", "after")
                .put("text", "after the kill"))
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result().statusCode() == 200) {
                acked.add(c.getString("chatId"));
                p.complete();
                return;
              }
              int next = survivors.get((survivors.indexOf(port) + 1) % survivors.size());
              if (ar.succeeded() && ar.result().statusCode() == 409) {
                JsonObject d =
                    ar.result().bodyAsJsonObject().getJsonObject("error").getJsonObject("details");
                if (d != null && d.getString("webapi") != null) {
                  String w = d.getString("webapi");
                  int owner = Integer.parseInt(w.substring(w.lastIndexOf(':') + 1));
                  if (survivors.contains(owner)) {
                    attempt(http, c, owner, survivors, deadline).onComplete(p);
                    return;
                  }
                }
              }
              vertx
                  .timer(100)
                  .compose(t -> attempt(http, c, next, survivors, deadline))
                  .onComplete(p);
            });
    return p.future();
  }
}
