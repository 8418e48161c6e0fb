package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.esp.client.FailoverEspClientOptions;
import dev.hachat.store.cassandra.CassandraCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The network-fault harness: a single Cassandra node, instances {@code cs1..csN} and one web API
 * server {@code gms1}, all real processes inside a {@link NetNamespace} of the class's own, each on
 * its own loopback address: Cassandra on {@value #CASSANDRA}, instance k on 127.0.0.(10+k), the web
 * API server on {@value #WEB_API}. Every listener binds its process's address, and so do its
 * connections to Cassandra ({@code store.cassandra.local-address}) and the web API server's to the
 * instances ({@code routing.local-address}), so an nftables rule between two addresses ({@link
 * #net()}) cuts exactly those two processes apart.
 *
 * <p>The test JVM stays outside and reaches the servers through a {@link NetnsRelay}: each
 * instance's webapi, ESP and admin ports at the same address and port on the host (so the addresses
 * the servers hand out stay valid), the web API server at {@link #webApiPort()} on 127.0.0.1.
 *
 * <p>Register on a static field. Before the class it installs nftables when missing ({@code
 * test/ops/install.sh}), then starts everything; after it (also when a start or a test failed, and
 * from a shutdown hook if the JVM ends first) it kills every process it started by PID, stops
 * Cassandra by PID, deletes the namespace and every data directory.
 */
final class NetnsCluster implements BeforeAllCallback, AfterAllCallback {
  static final String CASSANDRA = "127.0.0.10";
  static final String WEB_API = "127.0.0.20";

  private final int instances;
  private final Map<String, String> instanceProperties;
  private final Thread reaper = new Thread(this::closeQuietly, "netns-cluster-reaper");
  private NetNamespace net;
  private Path dir;
  private CassandraCluster cassandra;
  private NetnsRelay relay;
  private final List<InstanceProcess> processes = new ArrayList<>();
  private WebApiProcess webApi;
  private int webApiPort;
  private Vertx vertx;
  private WebClient http;

  /** Each instance's wall-clock offset ({@code +5s}), or null: the machine's clock. */
  private final List<String> clocks = new ArrayList<>();

  /** {@code instances} instances with these extra {@code hachat.*} properties. */
  NetnsCluster(int instances, Map<String, String> instanceProperties) {
    this.instances = instances;
    this.instanceProperties = Map.copyOf(instanceProperties);
    for (int i = 0; i < instances; i++) {
      clocks.add(null);
    }
  }

  /** Whether each instance reaches Cassandra through a delaying proxy of its own. */
  private boolean storeProxies;

  private final java.util.Set<Integer> proxied = new java.util.HashSet<>();

  /**
   * Every instance reaches Cassandra through a proxy of its own inside the namespace, on {@link
   * #storeAddressOf} ({@link NetnsRelay#proxy}): its store path can then be delayed ({@link
   * #delayStore}) or broken by rules on that address.
   */
  NetnsCluster withStoreProxies() {
    storeProxies = true;
    return this;
  }

  /**
   * Instance {@code i} (0-based) runs with its clock {@code offsets[i]} off the machine's ({@code
   * +5s}, {@code -5s}; null: none), through libfaketime ({@link FakeClock}).
   */
  NetnsCluster withClocks(String... offsets) {
    for (int i = 0; i < offsets.length; i++) {
      clocks.set(i, offsets[i]);
    }
    return this;
  }

  /** The address of instance {@code i}, 0-based. */
  static String address(int i) {
    return "127.0.0." + (11 + i);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Runtime.getRuntime().addShutdownHook(reaper);
    Teardown.startOrClose(this::start, this::close);
  }

  private void start() throws Exception {
    OpsTools.install(
        clocks.stream().allMatch(c -> c == null)
            ? new String[] {"nftables"}
            : new String[] {"nftables", "libfaketime"});
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    net = NetNamespace.create();
    dir = Files.createTempDirectory("hachat-netns-");
    cassandra = CassandraCluster.start(1, null, net.prefix(), CASSANDRA);
    relay = NetnsRelay.start(net, dir);
    for (int i = 0; i < instances; i++) {
      String a = address(i);
      InstanceProcess cs = launch(i, Map.of());
      processes.add(cs);
      for (int port : List.of(cs.webapiPort(), cs.espPort(), cs.adminPort())) {
        relay.expose(a, port, a + ":" + port);
      }
    }
    Map<String, String> g = storeProperties("gms.", WEB_API);
    g.put("gms.http.host", WEB_API);
    g.put("gms.directory.poll-interval", "200");
    g.put("gms.routing.local-address", WEB_API);
    webApi = WebApiProcess.start("gms1", g, null, net.prefix());
    webApiPort = relay.expose("127.0.0.1", 0, WEB_API + ":" + webApi.port());
    Awaitility.await("gms1 sees " + instances + " instances alive")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> aliveSeenByWebApi() == instances);
  }

  /** Starts instance {@code i} ({@code cs<i+1>}) on its address, with its clock. */
  private InstanceProcess launch(int i, Map<String, String> extra) throws Exception {
    String a = address(i);
    Map<String, String> p = storeProperties("hachat.", a);
    if (storeProxies) {
      String proxy = storeAddressOf(i) + ":" + cassandraPort();
      if (proxied.add(i)) {
        relay.proxy(proxy, cassandra.contactPoints().get(0));
      }
      p.put("hachat.store.cassandra.contact-points", proxy);
    }
    p.put("hachat.webapi.host", a);
    p.put("hachat.esp.host", a);
    p.put("hachat.admin.host", a);
    p.putAll(instanceProperties);
    p.putAll(extra);
    List<String> prefix = new ArrayList<>(net.prefix());
    if (clocks.get(i) != null) {
      prefix.addAll(FakeClock.prefix(clocks.get(i)));
    }
    String id = "cs" + (i + 1);
    return InstanceProcess.start(id, p, List.of("-Xmx256m"), id, prefix);
  }

  /**
   * kill -9 of {@code p}, then the same instance (id, address, ports) again with its clock {@code
   * clock} off the machine's (null: none); the started process.
   */
  InstanceProcess restart(InstanceProcess p, String clock) throws Exception {
    int i = processes.indexOf(p);
    p.close();
    clocks.set(i, clock);
    InstanceProcess again =
        launch(
            i,
            Map.of(
                "hachat.webapi.port", String.valueOf(p.webapiPort()),
                "hachat.esp.port", String.valueOf(p.espPort()),
                "hachat.admin.port", String.valueOf(p.adminPort())));
    processes.set(i, again);
    return again;
  }

  /** The address instance {@code i} (0-based) reaches Cassandra at: its proxy, or Cassandra. */
  static String storeAddressOf(int i) {
    return "127.0.0." + (31 + i);
  }

  /** Where instance {@code p} reaches Cassandra: its proxy's address, or Cassandra's. */
  String storeAddressOf(InstanceProcess p) {
    return storeProxies ? storeAddressOf(processes.indexOf(p)) : CASSANDRA;
  }

  /** Delays instance {@code p}'s store path by {@code millis} each way (0: no delay). */
  void delayStore(InstanceProcess p, long millis) throws Exception {
    if (!storeProxies) {
      throw new IllegalStateException("no store proxies: withStoreProxies()");
    }
    relay.delay(storeAddressOf(p) + ":" + cassandraPort(), millis);
  }

  private String cassandraPort() {
    String cp = cassandra.contactPoints().get(0);
    return cp.substring(cp.lastIndexOf(':') + 1);
  }

  /** Instance {@code p}'s clock offset, or null. */
  String clockOf(InstanceProcess p) {
    return clocks.get(processes.indexOf(p));
  }

  /**
   * The store options of a process on {@code address} ({@code prefix}: {@code hachat.} or {@code
   * gms.}): the namespace's Cassandra, reached from that address.
   */
  private Map<String, String> storeProperties(String prefix, String address) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(prefix + "store.type", "cassandra");
    p.put(prefix + "store.cassandra.contact-points", cassandra.contactPoints().get(0));
    p.put(prefix + "store.cassandra.keyspace", "partition");
    p.put(prefix + "store.cassandra.local-address", address);
    return p;
  }

  private long aliveSeenByWebApi() throws Exception {
    return await(http.get(webApiPort, "127.0.0.1", "/instances").send())
        .bodyAsJsonObject()
        .getJsonArray("instances")
        .stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getBoolean("alive", false))
        .count();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    try {
      close();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException e) {
        // the JVM is shutting down: the reaper runs anyway
      }
    }
  }

  /**
   * Everything in reverse order of start, by PID; each step runs even if one before failed. The
   * namespace goes last, once nothing runs in it any more.
   */
  private synchronized void close() throws Exception {
    Teardown t = new Teardown();
    if (webApi != null) {
      t.step(webApi::close);
    }
    processes.forEach(p -> t.step(p::close));
    processes.clear();
    if (relay != null) {
      t.step(relay::close);
    }
    if (cassandra != null) {
      t.step(cassandra::close); // stops it by PID, deletes its data directory
    }
    if (vertx != null) {
      t.step(() -> await(vertx.close()));
    }
    if (net != null) {
      t.step(net::close);
    }
    if (dir != null) {
      Path d = dir;
      t.step(() -> CassandraCluster.deleteTree(d));
    }
    webApi = null;
    relay = null;
    cassandra = null;
    vertx = null;
    net = null;
    dir = null;
    t.rethrow();
  }

  private void closeQuietly() {
    try {
      close();
    } catch (Exception e) {
      System.err.println("netns cluster clean-up at exit failed: " + e);
    }
  }

  // ---- handles ---------------------------------------------------------------------------------

  /** The namespace: cut and heal links with nftables. */
  NetNamespace net() {
    return net;
  }

  Vertx vertx() {
    return vertx;
  }

  WebClient http() {
    return http;
  }

  List<InstanceProcess> instances() {
    return List.copyOf(processes);
  }

  /** The instance named {@code id}. */
  InstanceProcess instance(String id) {
    return processes.stream()
        .filter(p -> p.instanceId().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no instance " + id));
  }

  /** The address instance {@code p} runs on (inside, and its relays on the host). */
  String addressOf(InstanceProcess p) {
    return address(processes.indexOf(p));
  }

  /** The ESP endpoints ({@code host:port}) of every instance, as the agent's client sees them. */
  List<String> espEndpoints() {
    return processes.stream().map(p -> addressOf(p) + ":" + p.espPort()).toList();
  }

  /** The instance whose ESP port is {@code espEndpoint} ({@code host:port}), by id. */
  String instanceAt(String espEndpoint) {
    for (InstanceProcess p : processes) {
      if ((addressOf(p) + ":" + p.espPort()).equals(espEndpoint)) {
        return p.instanceId();
      }
    }
    return "unknown " + espEndpoint;
  }

  /** An agent desk's client options: every instance's ESP port, generous failover timeouts. */
  FailoverEspClientOptions desk(String agentId) {
    return new FailoverEspClientOptions()
        .setEndpoints(espEndpoints())
        .setAgentId(agentId)
        .setNickname("Bob")
        .setRequestTimeout(3000)
        .setFailoverTimeout(60_000);
  }

  /** Waits until every instance has its lease, is out of quarantine and takes chats. */
  void awaitAllAccepting() {
    Awaitility.await("every instance accepting chats")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .ignoreExceptions()
        .until(
            () -> {
              for (InstanceProcess p : processes) {
                if (!health(p).getBoolean("acceptingChats", false)) {
                  return false;
                }
              }
              return true;
            });
  }

  /** The web API server's port on the host's 127.0.0.1 (relayed). */
  int webApiPort() {
    return webApiPort;
  }

  /** An instance's KPI counters ({@code GET /kpi} on its admin port). */
  JsonObject kpi(InstanceProcess p) throws Exception {
    return await(http.get(p.adminPort(), addressOf(p), "/kpi").send())
        .bodyAsJsonObject()
        .getJsonObject("kpi");
  }

  /** What instance {@code observer} knows of the others ({@code GET /cluster}). */
  JsonObject clusterSeenBy(InstanceProcess observer) throws Exception {
    return await(http.get(observer.adminPort(), addressOf(observer), "/cluster").send())
        .bodyAsJsonObject();
  }

  /** Whether the web API server sees instance {@code id} alive. */
  boolean webApiSeesAlive(String id) throws Exception {
    return await(http.get(webApiPort, "127.0.0.1", "/instances").send())
        .bodyAsJsonObject()
        .getJsonArray("instances")
        .stream()
        .map(JsonObject.class::cast)
        .anyMatch(i -> id.equals(i.getString("instanceId")) && i.getBoolean("alive", false));
  }

  /** An instance's {@code GET /health}. */
  JsonObject health(InstanceProcess p) throws Exception {
    return await(http.get(p.adminPort(), addressOf(p), "/health").send()).bodyAsJsonObject();
  }
}
