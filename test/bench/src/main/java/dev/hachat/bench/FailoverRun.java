package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.esp.client.FailoverEspClientOptions;
import dev.hachat.esp.client.Jitter;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.systemtest.InstanceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.HdrHistogram.Histogram;

/**
 * One failover measurement on running instances: {@code sessions} chats on the first, each taken by
 * one of {@code agents} agents; kill -9 of the first; each customer sends its next message to a
 * survivor until it is acknowledged. Per chat, from the kill: when the customer's message was
 * acknowledged, when its agent was attached again (where the chat was restored), and when the agent
 * had the message (the figure).
 */
final class FailoverRun {
  /** Chats created at once while setting up. */
  private static final int SETUP_WINDOW = 50;

  /**
   * Customers' and agents' pause before trying again, random in between, ms (the desktop client's
   * defaults); {@code -Dhachat.bench.retry-min/-max} for an experiment with slower clients.
   */
  private static final long RETRY_MIN_MS = Long.getLong("hachat.bench.retry-min", 100);

  private static final long RETRY_MAX_MS = Long.getLong("hachat.bench.retry-max", 500);

  /** One run's figures, ms from the kill. */
  record Figures(
      int sessions,
      double p50,
      double p99,
      double max,
      double ackedP99,
      double attachedP99,
      int lost,
      int duplicated,
      boolean ok) {
    String result(String mode) {
      return String.format(
          Locale.ROOT,
          "RESULT failover: sessions=%d mode=%s p50_ms=%.1f p99_ms=%.1f max_ms=%.1f"
              + " acked_p99_ms=%.1f attached_p99_ms=%.1f lost=%d duplicated=%d",
          sessions,
          mode,
          p50,
          p99,
          max,
          ackedP99,
          attachedP99,
          lost,
          duplicated);
    }
  }

  private final Vertx vertx = Vertx.vertx();
  private final WebClient http = BenchSupport.http(vertx, 200);
  private final Map<String, Long> ackedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> attachedAt = new ConcurrentHashMap<>();
  private final Map<String, Long> deliveredAt = new ConcurrentHashMap<>();
  private final AtomicInteger duplicates = new AtomicInteger();
  private volatile long killedAt = Long.MAX_VALUE;

  private FailoverRun() {}

  static Figures measure(List<InstanceProcess> instances, int sessions, int agents)
      throws Exception {
    FailoverRun run = new FailoverRun();
    try {
      return run.go(instances, sessions, agents);
    } finally {
      await(run.vertx.close());
    }
  }

  private Figures go(List<InstanceProcess> instances, int sessions, int agents) throws Exception {
    InstanceProcess victim = instances.get(0);
    CountDownLatch allDelivered = new CountDownLatch(sessions);
    List<FailoverEspClient> desks = new ArrayList<>();
    for (int a = 0; a < agents; a++) {
      desks.add(await(desk(instances, "bench-agent-" + a, allDelivered)));
    }
    List<JsonObject> customers = setUp(victim, desks, sessions);
    System.out.printf(
        "%d chats on %s, %d agents; kill -9 at %s%n",
        sessions, victim.instanceId(), agents, Instant.now());
    killedAt = System.nanoTime();
    victim.kill();
    List<Integer> survivors =
        instances.subList(1, instances.size()).stream().map(InstanceProcess::webapiPort).toList();
    long deadline = killedAt + TimeUnit.SECONDS.toNanos(60);
    for (int i = 0; i < sessions; i++) {
      JsonObject c = customers.get(i);
      attempt(c, survivors.get(i % survivors.size()), survivors, deadline)
          .onFailure(e -> System.out.println("send failed for good: " + e));
    }
    boolean complete = allDelivered.await(65, TimeUnit.SECONDS);
    for (int i = 0; i < sessions; i++) {
      String chatId = customers.get(i).getString("chatId");
      if (!deliveredAt.containsKey(chatId)) {
        System.out.printf(
            "not delivered: chat %s, acknowledged to the customer: %s, agent at %s%n",
            chatId, ackedAt.containsKey(chatId), desks.get(i % agents).endpointOf(chatId));
      }
    }
    writeCsv(sessions);
    Histogram delivered = histogram(deliveredAt);
    int lost = sessions - deliveredAt.size();
    return new Figures(
        sessions,
        ms(delivered, 50),
        ms(delivered, 99),
        delivered.getMaxValue() / 1000.0,
        ms(histogram(ackedAt), 99),
        ms(histogram(attachedAt), 99),
        lost,
        duplicates.get(),
        complete && lost == 0 && duplicates.get() == 0);
  }

  private Future<FailoverEspClient> desk(
      List<InstanceProcess> instances, String agentId, CountDownLatch allDelivered) {
    return FailoverEspClient.connect(
            vertx,
            new FailoverEspClientOptions()
                .setEndpoints(instances.stream().map(p -> "127.0.0.1:" + p.espPort()).toList())
                .setAgentId(agentId)
                .setRequestTimeout(10_000)
                .setFailoverTimeout(60_000)
                .setRetryMinDelay(RETRY_MIN_MS)
                .setRetryMaxDelay(RETRY_MAX_MS))
        .onSuccess(
            d -> {
              d.onChatMoved(
                  (chatId, endpoint) -> {
                    long now = System.nanoTime();
                    if (now > killedAt) {
                      attachedAt.putIfAbsent(chatId, now);
                    }
                  });
              d.onEntry(
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
            });
  }

  /** Creates the chats on {@code victim}, {@link #SETUP_WINDOW} at a time, and has them taken. */
  private List<JsonObject> setUp(InstanceProcess victim, List<FailoverEspClient> desks, int n)
      throws Exception {
    List<JsonObject> customers = new ArrayList<>();
    for (int from = 0; from < n; from += SETUP_WINDOW) {
      List<JsonObject> created =
          BenchSupport.createChats(http, victim.webapiPort(), Math.min(SETUP_WINDOW, n - from));
      List<Future<?>> taken = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + SETUP_WINDOW); i++) {
        JsonObject c = created.get(i - from);
        customers.add(c);
        taken.add(desks.get(i % desks.size()).accept(c.getString("chatId")));
      }
      await(Future.all(taken));
    }
    return customers;
  }

  /** The customer's next message to {@code port}, resent (same id) until acknowledged. */
  private Future<Void> attempt(JsonObject c, int port, List<Integer> survivors, long deadline) {
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
                ackedAt.putIfAbsent(c.getString("chatId"), System.nanoTime());
                p.complete();
                return;
              }
              Integer owner = ar.succeeded() ? redirect(ar.result().bodyAsJsonObject()) : null;
              if (owner != null && survivors.contains(owner) && owner != port) {
                attempt(c, owner, survivors, deadline).onComplete(p);
                return;
              }
              int next = survivors.get((survivors.indexOf(port) + 1) % survivors.size());
              vertx
                  .timer(Jitter.between(RETRY_MIN_MS, RETRY_MAX_MS))
                  .compose(t -> attempt(c, next, survivors, deadline))
                  .onComplete(p);
            });
    return p.future();
  }

  /** The owner's webapi port a NOT_OWNER answer names, or null. */
  private static Integer redirect(JsonObject body) {
    JsonObject error = body == null ? null : body.getJsonObject("error");
    JsonObject d = error == null ? null : error.getJsonObject("details");
    String w = d == null ? null : d.getString("webapi");
    return w == null ? null : Integer.parseInt(w.substring(w.lastIndexOf(':') + 1));
  }

  private Histogram histogram(Map<String, Long> at) {
    Histogram h = new Histogram(120_000_000L, 3);
    at.values().forEach(t -> h.recordValue(Math.max(1, (t - killedAt) / 1000)));
    return h;
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1000.0;
  }

  private void writeCsv(int sessions) throws java.io.IOException {
    List<String> rows = new ArrayList<>();
    deliveredAt.forEach(
        (chat, t) ->
            rows.add(
                String.format(
                    Locale.ROOT,
                    "%s,%.1f,%.1f,%.1f",
                    chat,
                    (t - killedAt) / 1e6,
                    (ackedAt.getOrDefault(chat, t) - killedAt) / 1e6,
                    (attachedAt.getOrDefault(chat, t) - killedAt) / 1e6)));
    BenchSupport.writeCsv(
        "failover-" + sessions + ".csv",
        "chat,ms_from_kill_to_delivered,ms_to_acked,ms_to_attached",
        rows);
  }
}
