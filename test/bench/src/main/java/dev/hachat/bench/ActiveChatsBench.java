package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Many chats active at once on one instance (1 GB heap): {@code --chats} customers on the webapi
 * port, each chat accepted by one of chats/100 agent desktops on the ESP port, and every chat
 * sending one message per {@code --interval} with the phases spread evenly, so the instance takes
 * chats/interval messages a second, each saved before it is acknowledged. After the ramp, two
 * intervals of the same traffic warm every process up, unmeasured; then a window of {@code
 * --seconds} gives send→ack (the HTTP answer) and send→delivered (the agent has it), errors, and
 * the instance's CPU. Same-run baseline: the driver alone writing transcript-sized rows into the
 * same Cassandra at the same rate, its own write latency. Each run has a fresh instance and
 * keyspace.
 *
 * <p>{@code scripts/bench active [--chats 10000] [--interval-seconds 10] [--seconds 60] [--runs 3]}
 */
public final class ActiveChatsBench {
  /** One run's figures; latencies in ms. */
  record Figures(
      double achieved,
      long errors,
      long undelivered,
      double ackP50,
      double ackP99,
      double deliveredP50,
      double deliveredP99,
      double cpuCores,
      double rawP50,
      double rawP99) {}

  private static final int CHATS_PER_AGENT = 100;

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
  private volatile Window window;

  public static void main(String[] args) throws Exception {
    int chats = Integer.parseInt(BenchSupport.arg(args, "chats", "10000"));
    int interval = Integer.parseInt(BenchSupport.arg(args, "interval-seconds", "10"));
    int seconds = Integer.parseInt(BenchSupport.arg(args, "seconds", "60"));
    int runs = Integer.parseInt(BenchSupport.arg(args, "runs", "3"));
    System.out.println("machine: " + BenchSupport.machine());
    List<Figures> all = new ArrayList<>();
    try (CassandraCluster cassandra = CassandraCluster.start(1)) {
      for (int r = 1; r <= runs; r++) {
        Figures f = run(cassandra, "active_r" + r, chats, interval, seconds);
        all.add(f);
        System.out.println(result("active", chats, interval, f));
      }
    }
    System.out.println(summary(chats, interval, all));
    System.exit(all.stream().allMatch(f -> f.errors() == 0 && f.undelivered() == 0) ? 0 : 1);
  }

  /** One run in {@code keyspace} of {@code cassandra}, with an instance of its own. */
  static Figures run(
      CassandraCluster cassandra, String keyspace, int chats, int interval, int seconds)
      throws Exception {
    ActiveChatsBench bench = new ActiveChatsBench();
    try {
      return bench.once(cassandra, keyspace, chats, interval, seconds);
    } finally {
      await(bench.vertx.close());
    }
  }

  private Figures once(
      CassandraCluster cassandra, String keyspace, int chats, int interval, int seconds)
      throws Exception {
    int agents = Math.max(1, (chats + CHATS_PER_AGENT - 1) / CHATS_PER_AGENT);
    Map<String, String> props = BenchSupport.cassandraInstance(cassandra, keyspace);
    props.put("hachat.esp.max-connections-per-address", String.valueOf(Math.max(64, 2 * agents)));
    try (InstanceProcess instance =
        InstanceProcess.start(
            "bench-active", props, List.of("-Xmx1g", "-XX:+UseG1GC"), "bench-active-" + keyspace)) {
      WebClient http = BenchSupport.http(vertx, 128);
      List<EspClient> desks = new ArrayList<>();
      for (int a = 0; a < agents; a++) {
        EspClient desk =
            await(EspClient.connect(vertx, new EspClientOptions().setPort(instance.espPort())));
        await(desk.login("bench-agent-" + a, "Agent " + a, null));
        desk.onEntry(
            (chatId, e) -> {
              if (e.type() == EntryType.MESSAGE && e.participantType() == ParticipantType.CLIENT) {
                Long t0 = sentAt.remove(e.clientMessageId());
                Window w = window;
                if (t0 != null && w != null) {
                  w.delivered(e.clientMessageId(), t0);
                }
              }
            });
        desks.add(desk);
      }
      long rampStart = System.nanoTime();
      List<JsonObject> customers = BenchSupport.createChats(http, instance.webapiPort(), chats);
      for (int from = 0; from < chats; from += 256) {
        List<Future<?>> taken = new ArrayList<>();
        for (int i = from; i < Math.min(chats, from + 256); i++) {
          taken.add(desks.get(i % agents).accept(customers.get(i).getString("chatId")));
        }
        await(Future.all(taken));
      }
      System.out.printf(
          "%d chats accepted by %d agents in %.1f s%n",
          chats, agents, (System.nanoTime() - rampStart) / 1e9);
      double rate = chats / (double) interval;
      Histogram raw =
          RawInsertBaseline.latencyAt(
              cassandra.contactPoints().get(0), "datacenter1", rate, Math.min(seconds, 30));
      Window w = new Window(customers, rate, 2L * interval, seconds);
      window = w;
      long cpuBefore = BenchSupport.cpuTicks(instance.pid());
      w.run(http, instance.webapiPort());
      double cpu = (BenchSupport.cpuTicks(instance.pid()) - cpuBefore) / 100.0 / w.measuredSeconds;
      // Deliveries still on their way when the window closed count until 10 s after it.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (w.pendingDeliveries() > 0 && System.nanoTime() < until) {
        TimeUnit.MILLISECONDS.sleep(50); // polling a counter the ESP threads decrement
      }
      long undelivered = w.pendingDeliveries();
      for (EspClient d : desks) {
        d.disconnect();
      }
      return new Figures(
          w.acked.get() / (double) seconds,
          w.errors.get(),
          undelivered,
          ms(w.ack, 50),
          ms(w.ack, 99),
          ms(w.delivered, 50),
          ms(w.delivered, 99),
          cpu,
          ms(raw, 50),
          ms(raw, 99));
    }
  }

  /** The open-loop traffic: chat k % n sends the k-th message; kept only inside the window. */
  private final class Window {
    final Histogram ack = new Histogram(120_000_000L, 3);
    final Histogram delivered = new Histogram(120_000_000L, 3);
    final AtomicLong acked = new AtomicLong();
    final AtomicLong errors = new AtomicLong();
    private final List<JsonObject> customers;
    private final double rate;
    private final long warmNanos;
    private final long windowNanos;
    private final Map<String, Boolean> counted = new ConcurrentHashMap<>();
    final double measuredSeconds;

    Window(List<JsonObject> customers, double rate, long warmSeconds, int seconds) {
      this.customers = customers;
      this.rate = rate;
      this.warmNanos = TimeUnit.SECONDS.toNanos(warmSeconds);
      this.windowNanos = TimeUnit.SECONDS.toNanos(seconds);
      this.measuredSeconds = seconds;
    }

    /** Sends in the window acknowledged or not answered yet that the agent has not had. */
    long pendingDeliveries() {
      return counted.size();
    }

    void delivered(String id, long t0) {
      if (counted.remove(id) != null) {
        delivered.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
      }
    }

    void run(WebClient http, int port) throws InterruptedException {
      long start = System.nanoTime();
      long from = start + warmNanos;
      long end = from + windowNanos;
      BenchSupport.openLoop(vertx, rate, end, (k, now) -> send(http, port, k, now >= from, end));
    }

    private void send(WebClient http, int port, long k, boolean inWindow, long end) {
      JsonObject c = customers.get((int) (k % customers.size()));
      String id = "a" + k;
      long t0 = System.nanoTime();
      if (inWindow) {
        counted.put(id, Boolean.TRUE);
      }
      sentAt.put(id, t0);
      http.post(port, "127.0.0.1", "/v1/chats/" + c.getString("chatId") + "/send")
          .timeout(30_000)
          .sendJsonObject(
              new JsonObject()
                  .put("participantId", c.getString("participantId"))
                  .put("secureKey", c.getString("secureKey"))
                  .put("clientMessageId", id)
                  .put("text", "message " + k + " " + "x".repeat(80)))
          .onComplete(
              ar -> {
                if (!inWindow || System.nanoTime() > end + TimeUnit.SECONDS.toNanos(30)) {
                  return;
                }
                if (ar.succeeded() && ar.result().statusCode() == 200) {
                  acked.incrementAndGet();
                  ack.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                } else {
                  errors.incrementAndGet();
                  counted.remove(id);
                }
              });
    }
  }

  private static double ms(Histogram h, double percentile) {
    return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1000.0;
  }

  static String result(String what, int chats, int interval, Figures f) {
    return String.format(
        Locale.ROOT,
        "RESULT %s: chats=%d interval_s=%d msgs_per_s=%.0f errors=%d undelivered=%d"
            + " ack_p50_ms=%.1f ack_p99_ms=%.1f delivered_p50_ms=%.1f delivered_p99_ms=%.1f"
            + " instance_cpu_cores=%.2f raw_insert_p50_ms=%.1f raw_insert_p99_ms=%.1f",
        what,
        chats,
        interval,
        f.achieved(),
        f.errors(),
        f.undelivered(),
        f.ackP50(),
        f.ackP99(),
        f.deliveredP50(),
        f.deliveredP99(),
        f.cpuCores(),
        f.rawP50(),
        f.rawP99());
  }

  static String summary(int chats, int interval, List<Figures> all) {
    return String.format(
        Locale.ROOT,
        "RESULT active-summary: chats=%d interval_s=%d runs=%d msgs_per_s=%s ack_p50_ms=%s"
            + " ack_p99_ms=%s delivered_p50_ms=%s delivered_p99_ms=%s instance_cpu_cores=%s"
            + " raw_insert_p99_ms=%s errors=%d undelivered=%d",
        chats,
        interval,
        all.size(),
        BenchSupport.spread(all.stream().mapToDouble(Figures::achieved).toArray(), "%.0f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::ackP50).toArray(), "%.1f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::ackP99).toArray(), "%.1f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::deliveredP50).toArray(), "%.1f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::deliveredP99).toArray(), "%.1f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::cpuCores).toArray(), "%.2f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::rawP99).toArray(), "%.1f"),
        all.stream().mapToLong(Figures::errors).sum(),
        all.stream().mapToLong(Figures::undelivered).sum());
  }
}
