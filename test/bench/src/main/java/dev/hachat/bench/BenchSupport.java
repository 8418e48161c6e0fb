package dev.hachat.bench;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import dev.hachat.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** What every benchmark shares: the processes it starts, clients, figures. */
public final class BenchSupport {
  private BenchSupport() {}

  /** How long a benchmark waits for one step (a whole cluster's start, a drain) at the most. */
  public static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

  /** {@link Await#await(Future, Duration)} with {@link #STEP_TIMEOUT}. */
  public static <T> T await(Future<T> f) throws Exception {
    return Await.await(f, STEP_TIMEOUT);
  }

  /**
   * Where a benchmark keeps its data: {@link #OWN_NODE}, a single Cassandra node it starts and
   * stops itself ({@code scripts/bench}), or a keyspace of a node it is handed and leaves running
   * (BenchSmokeIT's, one for all the benchmarks it runs).
   */
  record Store(CassandraCluster given, String keyspace) {
    static final Store OWN_NODE = new Store(null, "bench");

    /** The benchmark's own node, to close when it ends; null when it was handed one. */
    CassandraCluster startOwn() throws IOException, InterruptedException {
      return given == null ? CassandraCluster.start(1) : null;
    }

    /** The node to use: {@code own} from {@link #startOwn()}, or the one handed over. */
    CassandraCluster node(CassandraCluster own) {
      return own == null ? given : own;
    }
  }

  /** Instance properties: Cassandra store in {@code keyspace}, no UCS, a 1 GB heap. */
  static Map<String, String> cassandraInstance(CassandraCluster c, String keyspace) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hachat.store.type", "cassandra");
    p.put("hachat.store.cassandra.contact-points", c.contactPoints().get(0));
    p.put("hachat.store.cassandra.keyspace", keyspace);
    p.put("hachat.store.cassandra.request-timeout", "5000");
    p.put("hachat.session.limit-for-sessions", "100000");
    p.put("hachat.session.inactivity-control.enabled", "false");
    return p;
  }

  /** Web API server properties: the instances' store (its registry), as {@code gms.*}. */
  static Map<String, String> gmsProperties(CassandraCluster c, String keyspace) {
    Map<String, String> p = new LinkedHashMap<>();
    cassandraInstance(c, keyspace)
        .forEach(
            (k, v) -> {
              if (k.startsWith("hachat.store.")) {
                p.put("gms." + k.substring("hachat.".length()), v);
              }
            });
    return p;
  }

  public static WebClient http(Vertx vertx, int connections) {
    return WebClient.create(
        vertx, new WebClientOptions(), new PoolOptions().setHttp1MaxSize(connections));
  }

  static String ms(Histogram h, double percentile) {
    return String.format(
        java.util.Locale.ROOT, "%.1f", h.getValueAtPercentile(percentile) / 1000.0);
  }

  /** Argument {@code --name value} or the default. */
  public static String arg(String[] args, String name, String def) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals("--" + name)) {
        return args[i + 1];
      }
    }
    return def;
  }

  static void closeQuietly(InstanceProcess p) {
    try {
      p.close();
    } catch (Exception e) {
      // best effort
    }
  }

  /** Where the benchmarks write their CSV files: {@code test/bench/target/results}. */
  public static Path resultsDir() {
    return InstanceProcess.home().resolve("test/bench/target/results");
  }

  /** Writes {@code name} in {@link #resultsDir()}: a header line, then one line per row. */
  static void writeCsv(String name, String header, List<String> rows) throws IOException {
    Path file = resultsDir().resolve(name);
    Files.createDirectories(file.getParent());
    List<String> lines = new ArrayList<>();
    lines.add(header);
    lines.addAll(rows);
    Files.write(file, lines);
    System.out.println("results: " + file);
  }

  /** "median(min-max)" of {@code values}, each formatted with {@code format} (e.g. "%.1f"). */
  public static String spread(double[] values, String format) {
    double[] v = values.clone();
    java.util.Arrays.sort(v);
    double median =
        v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    return String.format(
        java.util.Locale.ROOT,
        format + "(" + format + "-" + format + ")",
        median,
        v[0],
        v[v.length - 1]);
  }

  /** CPU time the process has used so far (user and system), in clock ticks of 10 ms. */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    // Fields after the command name, which is in parentheses and may hold spaces.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15)
  }

  /** Creates {@code n} chats on an instance's webapi port, 64 at a time; their credentials. */
  static List<io.vertx.core.json.JsonObject> createChats(WebClient http, int port, int n)
      throws Exception {
    List<io.vertx.core.json.JsonObject> chats = new ArrayList<>();
    for (int from = 0; from < n; from += 64) {
      List<Future<io.vertx.core.json.JsonObject>> batch = new ArrayList<>();
      for (int i = from; i < Math.min(n, from + 64); i++) {
        batch.add(
            http.post(port, "127.0.0.1", "/v1/chats")
                .sendJsonObject(new io.vertx.core.json.JsonObject().put("nickname", "c" + i))
                .map(
                    r -> {
                      if (r.statusCode() / 100 != 2) {
                        throw new IllegalStateException(
                            "chat not created: " + r.statusCode() + " " + r.bodyAsString());
                      }
                      return r.bodyAsJsonObject();
                    }));
      }
      await(Future.all(batch));
      batch.forEach(f -> chats.add(f.result()));
    }
    return chats;
  }

  /** What an {@link #openLoop} does for each event when it is due. */
  interface Due {
    /** The {@code k}-th event (from 0), due by {@code now} ({@link System#nanoTime()}). */
    void send(long k, long now);
  }

  /**
   * An open loop: {@code send(k, now)} for the k-th event at {@code perSecond} from now until
   * {@code end} ({@link System#nanoTime()}), on schedule whatever the answers do (a 1 ms timer
   * sends what is due); returns when the loop ends.
   */
  static void openLoop(Vertx vertx, double perSecond, long end, Due send)
      throws InterruptedException {
    long start = System.nanoTime();
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    long[] sent = new long[1]; // touched by the timer only
    long[] timer = new long[1];
    timer[0] =
        vertx.setPeriodic(
            1,
            t -> {
              long now = System.nanoTime();
              if (now >= end) {
                vertx.cancelTimer(timer[0]);
                finished.countDown();
                return;
              }
              long due = (long) ((now - start) / 1e9 * perSecond);
              while (sent[0] < due) {
                send.send(sent[0]++, now);
              }
            });
    finished.await();
  }

  public static String machine() {
    return Runtime.getRuntime().availableProcessors()
        + " cores, "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + ", Java "
        + System.getProperty("java.version");
  }
}
