package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import dev.hachat.systemtest.WebApiProcess;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * Throughput and latency through one instance with a save per message, over the real protocols:
 * customers send on the webapi port (HTTP), one agent desktop receives on the ESP port. Open loop:
 * sends leave on schedule whatever the answers do. For each offered rate: warm-up, then a steady
 * window whose figures are kept: send→ack (HTTP answer) and send→delivered (the agent got it). The
 * maximum sustained rate is the highest step answered in full with p99 send→ack under 500 ms; then
 * a run at half of it gives the latency at half load. Every throughput is also a ratio to raw async
 * inserts into the same Cassandra, measured in the same run.
 *
 * <p>With {@code --via gms} the customers go through a web API server (a separate process) and its
 * GMS Chat API v2 REST endpoints instead of the instance's own webapi port, so the figures include
 * the extra hop and its routing; {@code --via cometd-lp} and {@code --via cometd-ws} do the same
 * over its CometD endpoint, one real CometD Java client per customer, long-polling or WebSocket.
 *
 * <p>{@code scripts/bench load [--chats 100] [--step-seconds 10] [--baseline-seconds 10] [--via
 * instance|gms|cometd-lp|cometd-ws]}
 */
public final class LoadBench {
  record Step(int offered, double achieved, long errors, Histogram ack, Histogram delivered) {}

  private final Vertx vertx = Vertx.vertx();
  private final Map<String, Long> sentAt = new ConcurrentHashMap<>();

  /** Sends not answered yet, across steps: an overloaded step leaves a backlog behind. */
  private final AtomicLong inFlight = new AtomicLong();

  private volatile Histogram deliveredWindow;
  private int stepNumber;
  private Step halfStep;
  private final String via;
  private final BenchSupport.Store store;
  private LoadTarget target;

  /** {@code via}: instance, gms, cometd-lp or cometd-ws; on a Cassandra node of its own. */
  LoadBench(String via) {
    this(via, BenchSupport.Store.OWN_NODE);
  }

  /** Like {@link #LoadBench(String)}, the data in {@code store}. */
  LoadBench(String via, BenchSupport.Store store) {
    this.via = via;
    this.store = store;
  }

  public static void main(String[] args) throws Exception {
    int chats = Integer.parseInt(BenchSupport.arg(args, "chats", "100"));
    int stepSeconds = Integer.parseInt(BenchSupport.arg(args, "step-seconds", "10"));
    int baselineSeconds = Integer.parseInt(BenchSupport.arg(args, "baseline-seconds", "10"));
    String rates = BenchSupport.arg(args, "rates", "250,500,1000,1500,2000,3000,4000,6000");
    String via = BenchSupport.arg(args, "via", "instance");
    if (!List.of("instance", "gms", "cometd-lp", "cometd-ws").contains(via)) {
      throw new IllegalArgumentException(
          "--via must be instance, gms, cometd-lp or cometd-ws, not " + via);
    }
    new LoadBench(via).run(chats, stepSeconds, baselineSeconds, rates);
    System.exit(0);
  }

  /** Runs the benchmark; returns the steps measured (the last one at half of the maximum). */
  /** The shortest unmeasured warm-up at the first rate before the ramp. */
  static final int WARM_UP_SECONDS = 10;

  List<Step> run(int chats, int stepSeconds, int baselineSeconds, String rates) throws Exception {
    System.out.println("machine: " + BenchSupport.machine());
    try (CassandraCluster own = store.startOwn()) {
      CassandraCluster cassandra = store.node(own);
      double raw =
          RawInsertBaseline.run(cassandra.contactPoints().get(0), "datacenter1", baselineSeconds);
      System.out.printf("baseline: raw async inserts, 64 in flight: %.0f rows/s%n", raw);
      InstanceProcess cs1 =
          InstanceProcess.start(
              "bench-cs1", BenchSupport.cassandraInstance(cassandra, store.keyspace()));
      WebApiProcess gms = null;
      try {
        WebClient http = BenchSupport.http(vertx, 256);
        if (via.equals("instance")) {
          target = LoadTarget.instance(http, cs1.webapiPort());
        } else {
          gms =
              WebApiProcess.start(
                  "bench-gms1", BenchSupport.gmsProperties(cassandra, store.keyspace()));
          target =
              via.equals("gms")
                  ? LoadTarget.gms(http, gms.port())
                  : new CometdLoadTarget(gms.port(), via.equals("cometd-ws"));
        }
        List<Step> steps = measure(cs1, chats, stepSeconds, rates, raw);
        report(steps, raw, cs1, chats, stepSeconds);
        return steps;
      } finally {
        if (target instanceof AutoCloseable c) {
          c.close();
        }
        if (gms != null) {
          gms.close();
        }
        BenchSupport.closeQuietly(cs1);
        await(vertx.close());
      }
    }
  }

  private List<Step> measure(
      InstanceProcess cs1, int chats, int stepSeconds, String rates, double raw) throws Exception {
    EspClient agent =
        await(EspClient.connect(vertx, new EspClientOptions().setPort(cs1.espPort())));
    await(agent.login("bench-agent", "Bob", null));
    agent.onEntry(
        (chatId, e) -> {
          if (e.type() == EntryType.MESSAGE && e.participantType() == ParticipantType.CLIENT) {
            Long t0 = sentAt.remove(e.clientMessageId());
            Histogram h = deliveredWindow;
            if (t0 != null && h != null) {
              h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
            }
          }
        });
    List<JsonObject> customers = new ArrayList<>();
    for (int i = 0; i < chats; i++) {
      JsonObject c = await(target.requestChat("c" + i));
      customers.add(c);
      await(agent.accept(c.getString("chatId")));
    }
    // Unmeasured: every process (instance, web API server, this JVM) runs the first rate for a
    // while before the ramp, so the first step is not their JIT warming up (issue 17).
    int first = Integer.parseInt(rates.split(",")[0].trim());
    Step warm = step(customers, first, Math.max(WARM_UP_SECONDS, stepSeconds));
    System.out.printf(
        "warm-up (unmeasured) %d/s: achieved %.0f/s, send→ack p99 %s ms%n",
        first, warm.achieved(), BenchSupport.ms(warm.ack(), 99));
    settle();
    List<Step> steps = new ArrayList<>();
    int best = 0;
    for (String r : rates.split(",")) {
      int rate = Integer.parseInt(r.trim());
      Step s = step(customers, rate, stepSeconds);
      steps.add(s);
      System.out.printf(
          "offered %5d/s: achieved %7.0f/s (%.2fx raw), errors %d, send→ack p50 %s p99 %s ms,"
              + " send→delivered p50 %s p99 %s ms%n",
          s.offered(),
          s.achieved(),
          s.achieved() / raw,
          s.errors(),
          BenchSupport.ms(s.ack(), 50),
          BenchSupport.ms(s.ack(), 99),
          BenchSupport.ms(s.delivered(), 50),
          BenchSupport.ms(s.delivered(), 99));
      if (!sustained(s)) {
        break;
      }
      best = rate;
    }
    if (best > 0) {
      settle(); // the step that was not sustained left a backlog; measure half load without it
      Step half = step(customers, best / 2, stepSeconds);
      steps.add(half);
      halfStep = half;
      System.out.printf(
          "half of max (%d/s): send→ack p99 %s ms, send→delivered p50 %s p99 %s ms%n",
          best / 2,
          BenchSupport.ms(half.ack(), 99),
          BenchSupport.ms(half.delivered(), 50),
          BenchSupport.ms(half.delivered(), 99));
    }
    return steps;
  }

  /** Waits (up to 60 s) until every send was answered, then 5 s more for the store to calm down. */
  private void settle() throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (inFlight.get() > 0 && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(100);
    }
    System.out.printf("settled: %d sends still unanswered; pausing 5 s%n", inFlight.get());
    TimeUnit.SECONDS.sleep(5);
  }

  static boolean sustained(Step s) {
    return s.errors() == 0
        && s.achieved() >= 0.95 * s.offered()
        && s.ack().getValueAtPercentile(99) < 500_000;
  }

  private Step step(List<JsonObject> customers, int rate, int seconds) throws Exception {
    int stepNo = ++stepNumber; // client message ids must differ between steps
    Histogram ack = new Histogram(60_000_000L, 3);
    Histogram delivered = new Histogram(60_000_000L, 3);
    AtomicLong acked = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long warmupNanos = TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 3));
    long steadyNanos = TimeUnit.SECONDS.toNanos(seconds);
    long start = System.nanoTime();
    long steadyFrom = start + warmupNanos;
    long end = steadyFrom + steadyNanos;
    BenchSupport.openLoop(
        vertx,
        rate,
        end,
        (k, now) -> {
          if (now >= steadyFrom && deliveredWindow == null) {
            deliveredWindow = delivered;
          }
          JsonObject c = customers.get((int) (k % customers.size()));
          String id = "s" + stepNo + "-" + k;
          long t0 = System.nanoTime();
          boolean counted = t0 >= steadyFrom;
          sentAt.put(id, t0);
          inFlight.incrementAndGet();
          target
              .send(c, id, "message " + k + " " + "x".repeat(80))
              .onComplete(
                  ar -> {
                    inFlight.decrementAndGet();
                    if (!counted || System.nanoTime() > end) {
                      return;
                    }
                    if (ar.succeeded()) {
                      acked.incrementAndGet();
                      ack.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                    } else {
                      errors.incrementAndGet();
                    }
                  });
        });
    deliveredWindow = null;
    sentAt.clear();
    return new Step(rate, acked.get() / (double) seconds, errors.get(), ack, delivered);
  }

  private void report(List<Step> steps, double raw, InstanceProcess cs1, int chats, int stepSeconds)
      throws java.io.IOException {
    double max = 0;
    for (Step s : steps) {
      if (sustained(s)) {
        max = Math.max(max, s.achieved());
      }
    }
    System.out.println();
    System.out.println(
        "| offered msg/s | achieved msg/s | ÷ raw inserts | errors | ack p50 ms | ack p99 ms | delivered p50 ms | delivered p99 ms |");
    System.out.println("|---|---|---|---|---|---|---|---|");
    for (Step s : steps) {
      System.out.printf(
          "| %d | %.0f | %.2f | %d | %s | %s | %s | %s |%n",
          s.offered(),
          s.achieved(),
          s.achieved() / raw,
          s.errors(),
          BenchSupport.ms(s.ack(), 50),
          BenchSupport.ms(s.ack(), 99),
          BenchSupport.ms(s.delivered(), 50),
          BenchSupport.ms(s.delivered(), 99));
    }
    List<String> rows = new ArrayList<>();
    for (Step s : steps) {
      rows.add(
          String.format(
              java.util.Locale.ROOT,
              "%d,%.1f,%d,%s,%s,%s,%s,%d",
              s.offered(),
              s.achieved(),
              s.errors(),
              BenchSupport.ms(s.ack(), 50),
              BenchSupport.ms(s.ack(), 99),
              BenchSupport.ms(s.delivered(), 50),
              BenchSupport.ms(s.delivered(), 99),
              s == halfStep ? 1 : 0));
    }
    BenchSupport.writeCsv(
        via.equals("instance") ? "load.csv" : "load-" + via + ".csv",
        "offered,achieved,errors,ack_p50_ms,ack_p99_ms,delivered_p50_ms,delivered_p99_ms,half",
        rows);
    System.out.printf(
        "%nRESULT load: via=%s chats=%d raw_inserts_per_s=%.0f max_sustained_msgs_per_s=%.0f"
            + " ratio=%.2f%n",
        via, chats, raw, max, max / raw);
  }
}
