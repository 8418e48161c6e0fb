package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * The most idle sessions with open push connections one instance holds with a 1 GB heap. In steps
 * of {@code --step} chats: each created on the webapi port, its customer's WebSocket push stream
 * ({@code /v1/chats/{id}/events}) opened and authenticated (its first entry arrived); after each
 * step a full GC, the heap in use, the instance's open file descriptors, and a probe: {@code
 * --probe} of the held customers each send a message and time it until it comes back on their own
 * stream. The run stops at {@code --max}, or at the first step that fails (a chat not created, a
 * stream not opened, a stream the instance closed, the instance gone) or leaves the heap after GC
 * above 85 % of its maximum; the figure is the last step held in full. The harness raises the file
 * descriptors as far as the machine allows: the benchmark's JVM gets the {@code ulimit -n} of
 * {@code scripts/bench} (262,144, or the hard limit where raising it is not permitted), the
 * instance the same through {@code prlimit --nofile}; where that limit, not the heap, ends the run
 * ({@code stopped_by=fd-limit}), the heap the instance would fill is projected from the bytes per
 * session and printed as a projection. The streams come from one 127.0.0.x address per 20,000 (the
 * ephemeral port range of one address). Each run has a fresh instance and keyspace.
 *
 * <p>{@code scripts/bench push [--step 10000] [--max 100000] [--probe 200] [--runs 3]}
 */
public final class PushConnectionsBench {
  /** One run: the sessions held with streams open, and what they cost at that point. */
  record Figures(
      int held,
      String stoppedBy,
      double heapMb,
      double bytesPerSession,
      long fds,
      double probeP50,
      double probeP99) {}

  private static final int PER_ADDRESS = 20_000;
  private static final int WINDOW = 64;
  private static final double HEAP_LIMIT = 0.85;
  private static final long MAX_HEAP = 1L << 30;

  private final Vertx vertx = Vertx.vertx();
  private final List<WebSocketClient> clients = new ArrayList<>();
  private final List<WebSocket> streams = new ArrayList<>();
  private final AtomicLong closedByInstance = new AtomicLong();
  private final Map<String, Promise<Long>> probes = new ConcurrentHashMap<>();

  public static void main(String[] args) throws Exception {
    int step = Integer.parseInt(BenchSupport.arg(args, "step", "10000"));
    long fdLimit = openFileLimit();
    // Each session holds a socket at both ends, in different processes; leave room for the rest.
    int byFds = (int) Math.max(1000, fdLimit - 1500);
    int max = Math.min(byFds, Integer.parseInt(BenchSupport.arg(args, "max", "100000")));
    int probe = Integer.parseInt(BenchSupport.arg(args, "probe", "200"));
    int runs = Integer.parseInt(BenchSupport.arg(args, "runs", "3"));
    System.out.println("machine: " + BenchSupport.machine());
    System.out.printf("file descriptors per process: %d; sessions at most %d%n", fdLimit, max);
    List<Figures> all = new ArrayList<>();
    try (CassandraCluster cassandra = CassandraCluster.start(1)) {
      for (int r = 1; r <= runs; r++) {
        Figures f = run(cassandra, "push_r" + r, step, max, probe);
        if (f.stoppedBy().equals("max") && max == byFds) {
          f = withReason(f, "fd-limit");
        }
        all.add(f);
        System.out.println(result(f));
      }
    }
    System.out.printf(
        Locale.ROOT,
        "RESULT push-summary: runs=%d held=%s bytes_per_session=%s heap_mb=%s probe_p99_ms=%s"
            + " projected_by_heap=%s%n",
        all.size(),
        BenchSupport.spread(all.stream().mapToDouble(Figures::held).toArray(), "%.0f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::bytesPerSession).toArray(), "%.0f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::heapMb).toArray(), "%.0f"),
        BenchSupport.spread(all.stream().mapToDouble(Figures::probeP99).toArray(), "%.1f"),
        BenchSupport.spread(
            all.stream().mapToDouble(PushConnectionsBench::projected).toArray(), "%.0f"));
    System.exit(0);
  }

  /** One run in {@code keyspace} of {@code cassandra}, with an instance of its own. */
  static Figures run(CassandraCluster cassandra, String keyspace, int step, int max, int probe)
      throws Exception {
    PushConnectionsBench bench = new PushConnectionsBench();
    try {
      return bench.once(cassandra, keyspace, step, max, probe, openFileLimit());
    } finally {
      await(bench.vertx.close());
    }
  }

  private Figures once(
      CassandraCluster cassandra, String keyspace, int step, int max, int probeCount, long fdLimit)
      throws Exception {
    Map<String, String> props = BenchSupport.cassandraInstance(cassandra, keyspace);
    props.put("hachat.webapi.max-connections-per-address", String.valueOf(PER_ADDRESS + 1000));
    props.put("hachat.session.limit-for-sessions", String.valueOf(max + 1000));
    try (InstanceProcess instance =
        InstanceProcess.start(
            "bench-push",
            props,
            List.of("-Xmx1g", "-XX:+UseG1GC"),
            "bench-push-" + keyspace,
            List.of("prlimit", "--nofile=" + fdLimit, "--"))) {
      WebClient http = BenchSupport.http(vertx, WINDOW);
      BenchSupport.createChats(http, instance.webapiPort(), 200); // warm the paths, unmeasured
      long empty = MemoryBench.heapAfterGc(http, instance);
      List<JsonObject> held = new ArrayList<>();
      Figures last = new Figures(0, "none", empty / 1e6, 0, fds(instance), 0, 0);
      while (held.size() < max) {
        int n = Math.min(step, max - held.size());
        long t0 = System.nanoTime();
        String failure = grow(http, instance, held, n);
        if (failure == null && closedByInstance.get() > 0) {
          failure = closedByInstance.get() + " streams closed by the instance";
        }
        if (failure != null || !instance.isAlive()) {
          System.out.printf("step to %d failed: %s%n", held.size() + n, failure);
          return withReason(last, failure == null ? "instance died" : failure);
        }
        long heap = MemoryBench.heapAfterGc(http, instance);
        Histogram probe = probe(http, instance, held, probeCount);
        last =
            new Figures(
                held.size(),
                "max",
                heap / 1e6,
                (heap - empty) / (double) held.size(),
                fds(instance),
                probe.getValueAtPercentile(50) / 1000.0,
                probe.getValueAtPercentile(99) / 1000.0);
        System.out.printf(
            Locale.ROOT,
            "held %d sessions with open streams (step %.1f s): heap after GC %.0f MB, %.0f bytes"
                + " each, %d fds; probe p50 %.1f ms p99 %.1f ms%n",
            held.size(),
            (System.nanoTime() - t0) / 1e9,
            last.heapMb(),
            last.bytesPerSession(),
            last.fds(),
            last.probeP50(),
            last.probeP99());
        if (heap > HEAP_LIMIT * MAX_HEAP) {
          histogram(instance, keyspace);
          return withReason(last, "heap");
        }
      }
      histogram(instance, keyspace);
      return last;
    } finally {
      for (WebSocketClient c : clients) {
        c.close();
      }
    }
  }

  private static Figures withReason(Figures f, String why) {
    return new Figures(
        f.held(), why, f.heapMb(), f.bytesPerSession(), f.fds(), f.probeP50(), f.probeP99());
  }

  /** Opens {@code n} more sessions with their streams; null, or why the step failed. */
  private String grow(WebClient http, InstanceProcess instance, List<JsonObject> held, int n) {
    int target = held.size() + n;
    try {
      while (held.size() < target) {
        int batch = Math.min(WINDOW, target - held.size());
        List<JsonObject> chats = BenchSupport.createChats(http, instance.webapiPort(), batch);
        List<Future<WebSocket>> opened = new ArrayList<>();
        for (JsonObject c : chats) {
          opened.add(open(client(held.size() + opened.size()), instance.webapiPort(), c));
        }
        await(Future.all(opened));
        opened.forEach(f -> streams.add(f.result()));
        held.addAll(chats);
      }
      return null;
    } catch (Exception e) {
      return e.toString();
    }
  }

  /** The client for the i-th stream: one per source address 127.0.0.(2 + i / 20,000). */
  private WebSocketClient client(int i) {
    int k = i / PER_ADDRESS;
    while (clients.size() <= k) {
      clients.add(
          vertx.createWebSocketClient(
              new WebSocketClientOptions()
                  .setLocalAddress("127.0.0." + (2 + clients.size()))
                  .setMaxConnections(PER_ADDRESS)));
    }
    return clients.get(k);
  }

  /** Opens a customer's stream; done when its first entry (the customer's join) arrived. */
  private Future<WebSocket> open(WebSocketClient client, int port, JsonObject c) {
    Promise<WebSocket> first = Promise.promise();
    return client
        .connect(port, "127.0.0.1", "/v1/chats/" + c.getString("chatId") + "/events")
        .compose(
            ws -> {
              ws.textMessageHandler(
                  text -> {
                    JsonObject event = new JsonObject(text);
                    first.tryComplete(ws);
                    JsonObject entry = event.getJsonObject("entry");
                    String id = entry == null ? null : entry.getString("clientMessageId");
                    Promise<Long> p = id == null ? null : probes.remove(id);
                    if (p != null) {
                      p.tryComplete(System.nanoTime());
                    }
                  });
              ws.closeHandler(
                  v -> {
                    if (!first.tryFail("closed before its first entry: " + ws.closeStatusCode())) {
                      closedByInstance.incrementAndGet();
                    }
                  });
              ws.writeTextMessage(
                  new JsonObject()
                      .put("participantId", c.getString("participantId"))
                      .put("secureKey", c.getString("secureKey"))
                      .encode());
              return first.future();
            })
        .timeout(30, TimeUnit.SECONDS);
  }

  /** {@code count} held customers, spread over all, each send one message; send → pushed back. */
  private Histogram probe(
      WebClient http, InstanceProcess instance, List<JsonObject> held, int count) throws Exception {
    Histogram h = new Histogram(60_000_000L, 3);
    List<Future<?>> all = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      JsonObject c = held.get((int) ((long) i * held.size() / count));
      String id = "probe-" + held.size() + "-" + i;
      Promise<Long> pushed = Promise.promise();
      probes.put(id, pushed);
      long t0 = System.nanoTime();
      all.add(
          http.post(
                  instance.webapiPort(),
                  "127.0.0.1",
                  "/v1/chats/" + c.getString("chatId") + "/send")
              .sendJsonObject(
                  new JsonObject()
                      .put("participantId", c.getString("participantId"))
                      .put("secureKey", c.getString("secureKey"))
                      .put("clientMessageId", id)
                      .put("text", "probe"))
              .compose(r -> pushed.future())
              .timeout(30, TimeUnit.SECONDS)
              .onSuccess(at -> h.recordValue(Math.max(1, (at - t0) / 1000))));
    }
    await(Future.all(all));
    return h;
  }

  /**
   * Where the heap goes at the last step: the instance's class histogram ({@code jcmd
   * GC.class_histogram}) in the results directory, its first lines printed.
   */
  private static void histogram(InstanceProcess p, String keyspace) throws Exception {
    Process jcmd =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(p.pid()),
                "GC.class_histogram")
            .redirectErrorStream(true)
            .start();
    String out = new String(jcmd.getInputStream().readAllBytes());
    jcmd.waitFor(60, TimeUnit.SECONDS);
    Path file = BenchSupport.resultsDir().resolve("push-histogram-" + keyspace + ".txt");
    Files.createDirectories(file.getParent());
    Files.writeString(file, out);
    out.lines().limit(18).forEach(System.out::println);
    System.out.println("class histogram: " + file);
  }

  private static long fds(InstanceProcess p) throws IOException {
    try (var s = Files.list(Path.of("/proc", Long.toString(p.pid()), "fd"))) {
      return s.count();
    }
  }

  /** This JVM's limit of open files (soft; the JVM raises it to the hard limit at start). */
  private static long openFileLimit() throws IOException {
    String line =
        Files.readAllLines(Path.of("/proc/self/limits")).stream()
            .filter(l -> l.startsWith("Max open files"))
            .findFirst()
            .orElseThrow();
    return Long.parseLong(line.substring("Max open files".length()).trim().split("\\s+")[0]);
  }

  static String result(Figures f) {
    return String.format(
        Locale.ROOT,
        "RESULT push: held=%d stopped_by=%s heap_mb=%.0f bytes_per_session=%.0f instance_fds=%d"
            + " probe_p50_ms=%.1f probe_p99_ms=%.1f projected_by_heap=%.0f",
        f.held(),
        f.stoppedBy().replace(' ', '_'),
        f.heapMb(),
        f.bytesPerSession(),
        f.fds(),
        f.probeP50(),
        f.probeP99(),
        projected(f));
  }

  /** Sessions at which the heap after GC would reach 85 % of 1 GB, at this step's cost each. */
  static double projected(Figures f) {
    return f.bytesPerSession() <= 0
        ? 0
        : f.held() + (HEAP_LIMIT * MAX_HEAP - f.heapMb() * 1e6) / f.bytesPerSession();
  }
}
