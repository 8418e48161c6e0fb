package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.systemtest.FailoverClients.Instance;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Instances {@code cs1..csN} started as OS processes with the same options; closed together. */
final class InstanceGroup implements AutoCloseable {
  private final List<InstanceProcess> processes = new ArrayList<>();

  /**
   * Starts cs1, then cs2..csN at once, each waited for until its READY line. cs1 comes first alone:
   * it creates the store's schema, and schema changes sent at the same time through different
   * Cassandra nodes can disagree; the others find it in place. Starting those together overlaps
   * their JVM start-up and lease quarantine (several seconds an instance on two cores).
   */
  static InstanceGroup start(int n, Map<String, String> properties) throws Exception {
    InstanceGroup g = new InstanceGroup();
    try {
      if (n >= 1) {
        g.processes.add(InstanceProcess.start("cs1", properties));
      }
      g.processes.addAll(startTogether(2, n, properties));
    } catch (Exception e) {
      g.close();
      throw e;
    }
    return g;
  }

  /** cs{from}..cs{to} at once; on a failure the ones that did start are closed, then it throws. */
  private static List<InstanceProcess> startTogether(
      int from, int to, Map<String, String> properties) throws Exception {
    if (from > to) {
      return List.of();
    }
    // The threads only wait for each process's READY line.
    ExecutorService pool = Executors.newFixedThreadPool(to - from + 1);
    List<CompletableFuture<InstanceProcess>> starts = new ArrayList<>();
    try {
      for (int i = from; i <= to; i++) {
        String id = "cs" + i;
        starts.add(
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    return InstanceProcess.start(id, properties);
                  } catch (IOException | InterruptedException e) {
                    throw new CompletionException(e);
                  }
                },
                pool));
      }
      List<InstanceProcess> started = new ArrayList<>();
      Exception failure = null;
      for (CompletableFuture<InstanceProcess> f : starts) {
        try {
          started.add(f.join());
        } catch (CompletionException e) {
          Exception cause = e.getCause() instanceof Exception c ? c : e;
          if (failure == null) {
            failure = cause;
          } else {
            failure.addSuppressed(cause);
          }
        }
      }
      if (failure != null) {
        for (InstanceProcess p : started) {
          p.close();
        }
        throw failure;
      }
      return started;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Instance {@code i}, 0-based ({@code get(0)} is cs1). */
  InstanceProcess get(int i) {
    return processes.get(i);
  }

  List<InstanceProcess> processes() {
    return processes;
  }

  /** The client-side addresses of every instance, in order. */
  List<Instance> addresses() {
    return processes.stream()
        .map(p -> new Instance(p.instanceId(), p.webapiPort(), p.espPort()))
        .toList();
  }

  /** An instance's KPI counters ({@code GET /kpi}). */
  static JsonObject kpi(WebClient http, InstanceProcess p) throws Exception {
    return await(http.get(p.adminPort(), "127.0.0.1", "/kpi").send())
        .bodyAsJsonObject()
        .getJsonObject("kpi");
  }

  /** The process among {@code candidates} holding the most sessions (by its /kpi). */
  InstanceProcess mostLoaded(
      WebClient http, java.util.function.Predicate<InstanceProcess> candidates) throws Exception {
    InstanceProcess best = null;
    long most = -1;
    for (InstanceProcess p : processes) {
      if (!p.isAlive() || !candidates.test(p)) {
        continue;
      }
      long n = kpi(http, p).getLong("sessions_active");
      if (n > most) {
        most = n;
        best = p;
      }
    }
    return best;
  }

  @Override
  public void close() throws InterruptedException {
    for (InstanceProcess p : processes) {
      p.close();
    }
  }
}
