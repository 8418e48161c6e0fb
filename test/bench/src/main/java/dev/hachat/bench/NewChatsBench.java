package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * New chats per second through one instance (customers' {@code POST /v1/chats}, 64 in flight, for
 * {@code --seconds} after an unmeasured warm-up of as long), against the raw LWT rate of the same
 * Cassandra measured in the same run right before ({@link RawInsertBaseline#lwt}): a new chat is a
 * compare-and-set create and the customer's join saved with its participant record (a conditional
 * batch), so two LWTs and an index write; the ratio says how close to the store's limit it gets.
 *
 * <p>{@code scripts/bench newchats [--seconds 10] [--runs 3]}
 */
public final class NewChatsBench {
  private static final int IN_FLIGHT = 64;

  /** One run's figures. */
  record Figures(double chatsPerSecond, double rawLwtPerSecond, long failed) {
    double ratio() {
      return chatsPerSecond / rawLwtPerSecond;
    }
  }

  private final BenchSupport.Store store;

  NewChatsBench(BenchSupport.Store store) {
    this.store = store;
  }

  public static void main(String[] args) throws Exception {
    int seconds = Integer.parseInt(BenchSupport.arg(args, "seconds", "10"));
    int runs = Integer.parseInt(BenchSupport.arg(args, "runs", "3"));
    System.out.println("machine: " + BenchSupport.machine());
    List<Figures> all = new ArrayList<>();
    NewChatsBench bench = new NewChatsBench(BenchSupport.Store.OWN_NODE);
    try (CassandraCluster own = bench.store.startOwn()) {
      for (int r = 1; r <= runs; r++) {
        all.add(bench.once(bench.store.node(own), "bench_newchats_" + r, seconds));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT newchats-summary: runs=%d chats_per_s=%s raw_lwt_per_s=%s ratio=%s failed=%d%n",
        runs,
        BenchSupport.spread(all.stream().mapToDouble(Figures::chatsPerSecond).toArray(), "%.0f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::rawLwtPerSecond).toArray(), "%.0f"),
        ratios(all),
        all.stream().mapToLong(Figures::failed).sum());
    System.exit(all.stream().allMatch(f -> f.failed() == 0) ? 0 : 1);
  }

  private static String ratios(List<Figures> all) {
    return BenchSupport.spread(all.stream().mapToDouble(Figures::ratio).toArray(), "%.2f");
  }

  Figures once(CassandraCluster cassandra, String keyspace, int seconds) throws Exception {
    try (InstanceProcess instance =
        InstanceProcess.start(
            "bench-new", BenchSupport.cassandraInstance(cassandra, keyspace), List.of("-Xmx1g"))) {
      Vertx vertx = Vertx.vertx();
      try {
        WebClient http = BenchSupport.http(vertx, IN_FLIGHT);
        create(vertx, http, instance.webapiPort(), seconds); // warm-up, unmeasured
        double lwt =
            RawInsertBaseline.lwt(cassandra.contactPoints().get(0), "datacenter1", seconds);
        long[] made = create(vertx, http, instance.webapiPort(), seconds);
        Figures f = new Figures(made[0] / (double) seconds, lwt, made[1]);
        System.out.printf(
            Locale.ROOT,
            "RESULT newchats: chats_per_s=%.0f raw_lwt_per_s=%.0f ratio=%.2f failed=%d%n",
            f.chatsPerSecond(),
            f.rawLwtPerSecond(),
            f.ratio(),
            f.failed());
        return f;
      } finally {
        await(vertx.close());
      }
    }
  }

  /** Creates chats {@link #IN_FLIGHT} at a time for {@code seconds}: {created, failed}. */
  private static long[] create(Vertx vertx, WebClient http, int port, int seconds)
      throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    AtomicLong created = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    List<Future<Void>> lanes = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      Promise<Void> lane = Promise.promise();
      vertx.runOnContext(v -> next(http, port, end, created, failed, lane));
      lanes.add(lane.future());
    }
    await(Future.all(lanes));
    return new long[] {created.get(), failed.get()};
  }

  private static void next(
      WebClient http,
      int port,
      long end,
      AtomicLong created,
      AtomicLong failed,
      Promise<Void> lane) {
    if (System.nanoTime() >= end) {
      lane.complete();
      return;
    }
    http.post(port, "127.0.0.1", "/v1/chats")
        .timeout(10_000)
        .sendJsonObject(new JsonObject().put("nickname", "n"))
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
                created.incrementAndGet();
              } else {
                failed.incrementAndGet();
              }
              next(http, port, end, created, failed, lane);
            });
  }
}
