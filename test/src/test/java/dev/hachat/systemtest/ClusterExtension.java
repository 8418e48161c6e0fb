package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.systemtest.FailoverClients.Instance;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The system tests' cluster, all real processes, as a JUnit 5 extension: a store (the JVM's shared
 * Cassandra node, a Cassandra cluster or a PostgreSQL of its own, or none: memory), instances
 * {@code cs1..csN}, web API servers {@code gms1..gmsM} and interaction servers {@code ixn1..ixnK}
 * pointed at it.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterExtension cluster =
 *     ClusterExtension.builder().sharedCassandra("evacuate_it").instances(3).webApiServers(2).build();
 * }</pre>
 *
 * <p>Register it on a static field. Before the class's first test it starts the store, then the
 * instances (each waited for until its READY line), then the web API and interaction servers, and
 * waits until each sees every instance ({@link FrontTier}); with {@link
 * ClusterSpec.Builder#processesPerTest()} the processes start again for each test instead. After
 * the last test it kills every process it started by PID (and every one {@link #adopt adopted}),
 * stops the store it started by PID and deletes its data directory: also when a test or the start
 * itself fails, and from a shutdown hook if the JVM ends first. The shared Cassandra node outlives
 * the class (its own hook stops it).
 */
public final class ClusterExtension
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
  private final ClusterSpec spec;
  private final List<Long> adopted = new CopyOnWriteArrayList<>();
  private final Thread reaper = new Thread(this::killQuietly, "cluster-extension-reaper");
  private Vertx vertx;
  private WebClient http;
  private CassandraCluster cassandra;
  private PostgresServer postgres;
  private Map<String, String> instanceProperties;
  private Map<String, String> webApiProperties;
  private Map<String, String> interactionProperties;
  private InstanceGroup group;
  private FrontTier front;
  private boolean started;

  ClusterExtension(ClusterSpec spec) {
    this.spec = spec;
  }

  /** What to start: by default one instance in memory, no web API server. */
  public static ClusterSpec.Builder builder() {
    return new ClusterSpec.Builder();
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    Runtime.getRuntime().addShutdownHook(reaper);
    started = true;
    Teardown.startOrClose(
        () -> {
          vertx = Vertx.vertx();
          http =
              spec.secured() == null
                  ? WebClient.create(vertx)
                  : WebClient.create(vertx, spec.secured().clientOptions());
          startStore();
          if (!spec.processesPerTest()) {
            startProcesses();
          }
        },
        this::close);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws Exception {
    if (!started) {
      throw new IllegalStateException("register ClusterExtension on a static field");
    }
    if (spec.processesPerTest()) {
      startProcesses();
    }
  }

  @Override
  public void afterEach(ExtensionContext context) throws Exception {
    if (spec.processesPerTest()) {
      stopProcesses();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    close();
  }

  private void startStore() throws Exception {
    Map<String, String> props = new LinkedHashMap<>();
    if (spec.store() == ClusterSpec.Store.SHARED_CASSANDRA) {
      props.putAll(SharedCassandra.instanceProperties(spec.keyspace()));
      cassandra = SharedCassandra.get();
    } else if (spec.store() == ClusterSpec.Store.CASSANDRA) {
      cassandra = CassandraCluster.start(spec.cassandraNodes());
      props.put("hachat.store.type", "cassandra");
      props.put(
          "hachat.store.cassandra.contact-points", String.join(",", cassandra.contactPoints()));
      props.put("hachat.store.cassandra.local-datacenter", cassandra.datacenter());
      props.put("hachat.store.cassandra.keyspace", spec.keyspace());
    }
    if (spec.postgres()) {
      postgres = PostgresServer.start();
      props.putAll(
          spec.store() == ClusterSpec.Store.UCS_ONLY
              ? UcsProperties.ucsOnly(postgres)
              : UcsProperties.of(postgres));
    }
    props.putAll(spec.instanceProperties());
    instanceProperties = Collections.unmodifiableMap(props);

    Map<String, String> gms = new LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (k.startsWith("hachat.store.")) {
            gms.put("gms." + k.substring("hachat.".length()), v);
          }
        });
    gms.put("gms.directory.poll-interval", "200");
    gms.putAll(spec.webApiProperties());
    webApiProperties = Collections.unmodifiableMap(gms);

    Map<String, String> ixn = new LinkedHashMap<>();
    props.forEach(
        (k, v) -> {
          if (k.startsWith("hachat.store.") || k.startsWith("hachat.ucs.")) {
            ixn.put("ixn." + k.substring("hachat.".length()), v);
          }
        });
    ixn.put("ixn.registry-poll-interval", "200");
    ixn.putAll(spec.interactionProperties());
    interactionProperties = Collections.unmodifiableMap(ixn);
  }

  private void startProcesses() throws Exception {
    try {
      group = InstanceGroup.start(spec.instances(), instanceProperties);
      front = FrontTier.start(spec, webApiProperties, interactionProperties, http);
    } catch (Exception | Error e) {
      try {
        stopProcesses();
      } catch (InterruptedException c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }

  /** Kills the interaction and web API servers, then the instances, by PID (each waited for). */
  private void stopProcesses() throws InterruptedException {
    try {
      if (front != null) {
        FrontTier f = front;
        front = null;
        f.close();
      }
    } finally {
      if (group != null) {
        InstanceGroup g = group;
        group = null;
        g.close();
      }
    }
  }

  /** Stops everything in reverse order of start; every step runs even if one before failed. */
  private void close() throws Exception {
    Teardown t = new Teardown();
    t.step(this::stopProcesses);
    t.step(this::killAdopted);
    if (vertx != null) {
      t.step(() -> await(vertx.close()));
      vertx = null;
    }
    if (postgres != null) {
      t.step(postgres::close); // stops it by PID, deletes its data directory
      postgres = null;
    }
    if (cassandra != null && ownCassandra()) {
      t.step(cassandra::close); // the same; the shared node stays for other classes
    }
    cassandra = null;
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the reaper runs anyway
    }
    started = false;
    t.rethrow();
  }

  private void killAdopted() {
    for (long pid : adopted) {
      ProcessHandle.of(pid)
          .ifPresent(
              h -> {
                h.destroyForcibly();
                h.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> null).join();
              });
    }
    adopted.clear();
  }

  /** The shutdown hook: the JVM ends before afterAll (a killed test run); no waiting on Vert.x. */
  private void killQuietly() {
    try {
      stopProcesses();
      killAdopted();
      if (postgres != null) {
        postgres.close();
      }
      if (cassandra != null && ownCassandra()) {
        cassandra.close();
      }
    } catch (Exception e) {
      System.err.println("cluster clean-up at exit failed: " + e);
    }
  }

  private boolean ownCassandra() {
    return spec.store() == ClusterSpec.Store.CASSANDRA;
  }

  // ---- handles ---------------------------------------------------------------------------------

  /** The test's Vert.x (clients), closed after the class. */
  public Vertx vertx() {
    return vertx;
  }

  /** An HTTP client for the cluster's processes (TLS trusting the test CA when it is on). */
  public WebClient http() {
    return http;
  }

  /** The instances {@code cs1..csN}, in order. */
  public InstanceGroup group() {
    return group;
  }

  /** Instance {@code i}, 0-based ({@code instance(0)} is cs1). */
  public InstanceProcess instance(int i) {
    return group.get(i);
  }

  /** The instance named {@code instanceId} (e.g. the alias a client was last served by). */
  public InstanceProcess instance(String instanceId) {
    return group.processes().stream()
        .filter(p -> p.instanceId().equals(instanceId))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no instance " + instanceId));
  }

  /** The client-side addresses of every instance, in order. */
  public List<Instance> addresses() {
    return group.addresses();
  }

  /** The web API servers {@code gms1..gmsM}, in order. */
  public List<WebApiProcess> webApis() {
    return front == null ? List.of() : front.webApis();
  }

  public WebApiProcess webApi(int i) {
    return webApis().get(i);
  }

  /** The interaction servers {@code ixn1..ixnK}, in order. */
  public List<InteractionProcess> interactions() {
    return front == null ? List.of() : front.interactions();
  }

  public InteractionProcess interaction(int i) {
    return interactions().get(i);
  }

  /** The system properties every instance was started with (store, UCS, the test's own). */
  public Map<String, String> instanceProperties() {
    return instanceProperties;
  }

  /** The Cassandra the instances use (the shared node or the class's own cluster), or null. */
  public CassandraCluster cassandra() {
    return cassandra;
  }

  /**
   * The class's own PostgreSQL ({@link ClusterSpec.Builder#contactHistory()}, {@link
   * ClusterSpec.Builder#ucsOnly()}).
   */
  public PostgresServer postgres() {
    return postgres;
  }

  /**
   * A process the test did not start through this extension (e.g. one a script started) that must
   * not outlive the class: killed by PID with the others. Thread-safe.
   */
  public void adopt(long pid) {
    adopted.add(pid);
  }

  /** An instance's KPI counters ({@code GET /kpi}). */
  public JsonObject kpi(InstanceProcess p) throws Exception {
    return InstanceGroup.kpi(http, p);
  }

  /**
   * POSTs to an instance's admin port (evacuate, disable: up to two minutes), as the operator when
   * security is on; the answer.
   */
  public JsonObject adminPost(InstanceProcess p, String path) throws Exception {
    var request = http.post(p.adminPort(), "127.0.0.1", path).timeout(120_000);
    if (spec.secured() != null) {
      request.putHeader("Authorization", spec.secured().operatorAuthorization());
    }
    return await(request.send(), Duration.ofSeconds(130)).bodyAsJsonObject();
  }

  /** A web API server's view of the instances ({@code GET /instances}), as the operator. */
  public JsonObject instancesSeenBy(WebApiProcess g) throws Exception {
    return FrontTier.instancesSeenBy(http, spec.secured(), g);
  }

  /** An interaction server's {@code GET /health} ({@code instances}: connected to now). */
  public JsonObject health(InteractionProcess x) throws Exception {
    return FrontTier.health(http, x);
  }

  /** Security of the cluster ({@link ClusterSpec.Builder#secured}), or null: open mode. */
  public Secured secured() {
    return spec.secured();
  }

  /** The live instance holding the most sessions (by its /kpi). */
  public InstanceProcess mostLoaded() throws Exception {
    return group.mostLoaded(http, p -> true);
  }

  /** Open chats held by the live instances other than {@code except}. */
  public long sessionsOnOthers(InstanceProcess except) throws Exception {
    long n = 0;
    for (InstanceProcess p : group.processes()) {
      if (p != except && p.isAlive()) {
        n += kpi(p).getLong("sessions_active");
      }
    }
    return n;
  }
}
