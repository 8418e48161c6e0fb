package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.systemtest.FailoverClients.Instance;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Instances {@code cs1..csN} started as OS processes with the same options; closed together. */
final class InstanceGroup implements AutoCloseable {
  private final List<InstanceProcess> processes = new ArrayList<>();

  static InstanceGroup start(int n, Map<String, String> properties) throws Exception {
    InstanceGroup g = new InstanceGroup();
    try {
      for (int i = 1; i <= n; i++) {
        g.processes.add(InstanceProcess.start("cs" + i, properties));
      }
    } catch (Exception e) {
      g.close();
      throw e;
    }
    return g;
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
