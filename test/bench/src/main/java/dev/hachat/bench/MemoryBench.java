package dev.hachat.bench;

import static dev.hachat.bench.BenchSupport.await;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.InstanceProcess;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Heap per idle session: an instance (1 GB heap) takes N chats (a customer each, no agent), a full
 * GC runs ({@code jcmd PID GC.run}), and the heap in use (from {@code /metrics}) is compared with
 * the same figure before the chats. At 1,000 and 10,000 sessions by default.
 *
 * <p>{@code scripts/bench memory [--sessions 1000,10000]}
 */
public final class MemoryBench {
  private final Vertx vertx = Vertx.vertx();
  private final BenchSupport.Store store;

  /** On a Cassandra node of its own. */
  MemoryBench() {
    this(BenchSupport.Store.OWN_NODE);
  }

  /** The data in {@code store}. */
  MemoryBench(BenchSupport.Store store) {
    this.store = store;
  }

  public static void main(String[] args) throws Exception {
    String sizes = BenchSupport.arg(args, "sessions", "1000,10000");
    new MemoryBench().run(sizes);
    System.exit(0);
  }

  /** Runs the benchmark; returns the bytes per session of the last size. */
  double run(String sizes) throws Exception {
    double last = 0;
    System.out.println("machine: " + BenchSupport.machine());
    try (CassandraCluster own = store.startOwn()) {
      CassandraCluster cassandra = store.node(own);
      for (String size : sizes.split(",")) {
        int n = Integer.parseInt(size.trim());
        InstanceProcess p =
            InstanceProcess.start(
                "bench-mem",
                BenchSupport.cassandraInstance(cassandra, store.keyspace()),
                List.of("-Xmx1g", "-XX:+UseG1GC"));
        try {
          last = measure(p, n);
        } finally {
          BenchSupport.closeQuietly(p);
        }
      }
    } finally {
      await(vertx.close());
    }
    return last;
  }

  private double measure(InstanceProcess p, int n) throws Exception {
    WebClient http = BenchSupport.http(vertx, 64);
    // Warm the code paths, then take the empty heap.
    BenchSupport.createChats(http, p.webapiPort(), 200);
    long before = heapAfterGc(http, p);
    int warm = 200;
    BenchSupport.createChats(http, p.webapiPort(), n);
    long after = heapAfterGc(http, p);
    double perSession = (after - before) / (double) n;
    System.out.printf(
        "RESULT memory: sessions=%d heap_before_mb=%.1f heap_after_mb=%.1f bytes_per_session=%.0f"
            + " (kb %.1f; %d warm-up sessions not counted)%n",
        n, before / 1e6, after / 1e6, perSession, perSession / 1024, warm);
    return perSession;
  }

  static long heapAfterGc(WebClient http, InstanceProcess p) throws Exception {
    for (int i = 0; i < 2; i++) {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  Long.toString(p.pid()),
                  "GC.run")
              .redirectErrorStream(true)
              .start();
      jcmd.getInputStream().readAllBytes();
      jcmd.waitFor(60, TimeUnit.SECONDS);
    }
    String metrics = await(http.get(p.adminPort(), "127.0.0.1", "/metrics").send()).bodyAsString();
    long used = 0;
    for (String line : metrics.split("\n")) {
      if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
        used += (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return used;
  }
}
