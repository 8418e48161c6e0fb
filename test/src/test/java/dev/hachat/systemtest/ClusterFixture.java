package dev.hachat.systemtest;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The operations tests' cluster, all real processes: the shared Cassandra, instances {@code
 * cs1..csN} and web API servers {@code gms1..gmsM} pointed at one keyspace. Closed together.
 */
final class ClusterFixture implements AutoCloseable {
  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx);
  final InstanceGroup group;
  final List<WebApiProcess> gms = new ArrayList<>();
  final Map<String, String> instanceProperties;

  private ClusterFixture(InstanceGroup group, Map<String, String> instanceProperties) {
    this.group = group;
    this.instanceProperties = instanceProperties;
  }

  static ClusterFixture start(String keyspace, int instances, int webApiServers) throws Exception {
    return start(keyspace, instances, webApiServers, Map.of());
  }

  /** As above, with {@code extra} instance properties (e.g. limits, UCS). */
  static ClusterFixture start(
      String keyspace, int instances, int webApiServers, Map<String, String> extra)
      throws Exception {
    Map<String, String> props =
        new java.util.LinkedHashMap<>(SharedCassandra.instanceProperties(keyspace));
    props.putAll(extra);
    ClusterFixture f = new ClusterFixture(InstanceGroup.start(instances, props), props);
    try {
      Map<String, String> p = WebApiProcess.cassandraProperties(keyspace);
      p.put("gms.directory.poll-interval", "200");
      for (int i = 1; i <= webApiServers; i++) {
        f.gms.add(WebApiProcess.start("gms" + i, p));
      }
      f.awaitInstancesSeen(instances);
    } catch (Exception e) {
      f.close();
      throw e;
    }
    return f;
  }

  /** Waits until every web API server lists {@code n} instances. */
  void awaitInstancesSeen(int n) throws Exception {
    for (WebApiProcess g : gms) {
      FailoverClients.awaitCondition(
          g.id() + " sees " + n + " instances",
          60,
          () -> instances(g).getJsonArray("instances").size() == n);
    }
  }

  /** A web API server's view of the instances ({@code GET /instances}). */
  JsonObject instances(WebApiProcess g) throws Exception {
    return FailoverClients.await(http.get(g.port(), "127.0.0.1", "/instances").send())
        .bodyAsJsonObject();
  }

  JsonObject kpi(InstanceProcess p) throws Exception {
    return InstanceGroup.kpi(http, p);
  }

  /** POSTs to an instance's admin port; the answer's JSON. */
  JsonObject adminPost(InstanceProcess p, String path) throws Exception {
    return FailoverClients.await(
            http.post(p.adminPort(), "127.0.0.1", path).timeout(120_000).send(), 130)
        .bodyAsJsonObject();
  }

  /** Open chats held by the live instances other than {@code except}. */
  long sessionsOnOthers(InstanceProcess except) throws Exception {
    long n = 0;
    for (InstanceProcess p : group.processes()) {
      if (p != except && p.isAlive()) {
        n += kpi(p).getLong("sessions_active");
      }
    }
    return n;
  }

  @Override
  public void close() throws Exception {
    for (WebApiProcess g : gms) {
      g.close();
    }
    group.close();
    FailoverClients.await(vertx.close());
  }
}
