package dev.hachat.bench.chaos;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.systemtest.InstanceProcess;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The processes of a chaos run and the faults that can be done to them: three Cassandra nodes
 * (RF=3, LOCAL_QUORUM), a PostgreSQL (the contact history, {@code ucs.enabled}) and three
 * chat-server instances as OS processes. Each instance slot keeps its ports across restarts (as a
 * supervisor restarting it from the same configuration would), so clients find it again. Every
 * process is stopped by PID on {@link #close()}. Faults are driven by one thread at a time.
 */
final class ChaosCluster implements AutoCloseable {
  static final int INSTANCES = 3;
  static final int CASSANDRA_NODES = 3;

  /** One instance's place: fixed ports, the process now running there (if any). */
  private static final class Slot {
    final int number;
    final int webapi;
    final int esp;
    final int admin;
    volatile InstanceProcess process;
    volatile String instanceId;
    int incarnation = 1;
    boolean paused;

    /** Its instance's clock offset ({@code +5s}), or null: the machine's. */
    String clock;

    Slot(int number, int webapi, int esp, int admin) {
      this.number = number;
      this.webapi = webapi;
      this.esp = esp;
      this.admin = admin;
    }
  }

  private final ChaosLog log;
  private final CassandraCluster cassandra;
  private final PostgresServer postgres;

  /** The run's network namespace, or null: every process on the host's loopback. */
  private final ChaosNet net;

  private final List<Slot> slots = new ArrayList<>();

  /** Written by the scheduler and by the thread bringing a node back ({@code --overlap}). */
  private final java.util.concurrent.atomic.AtomicIntegerArray cassandraDown =
      new java.util.concurrent.atomic.AtomicIntegerArray(CASSANDRA_NODES + 1);

  private boolean postgresDown;

  /** The test-only fault ({@code hachat-test-fault}) every instance starts with, or null. */
  private String testFault;

  private ChaosCluster(
      ChaosLog log, CassandraCluster cassandra, PostgresServer postgres, ChaosNet net) {
    this.log = log;
    this.cassandra = cassandra;
    this.postgres = postgres;
    this.net = net;
  }

  static ChaosCluster start(ChaosLog log) throws Exception {
    return start(log, false);
  }

  /**
   * {@code networked}: every process but PostgreSQL in a network namespace of the run's own, with
   * network faults and instance clocks 5 s off ({@link ChaosNet}).
   */
  static ChaosCluster start(ChaosLog log, boolean networked) throws Exception {
    log.log(
        "starting Cassandra (%d nodes) and PostgreSQL%s",
        CASSANDRA_NODES, networked ? " in a network namespace" : "");
    ChaosNet net = networked ? ChaosNet.start() : null;
    CassandraCluster cassandra;
    try {
      cassandra =
          net == null
              ? CassandraCluster.start(CASSANDRA_NODES)
              : CassandraCluster.start(CASSANDRA_NODES, null, net.prefix(), ChaosNet.CASSANDRA);
    } catch (Exception e) {
      if (net != null) {
        net.close();
      }
      throw e;
    }
    PostgresServer postgres = null;
    ChaosCluster c = null;
    try {
      postgres = PostgresServer.start();
      c = new ChaosCluster(log, cassandra, postgres, net);
      if (net != null) {
        net.bridgePostgres(postgres.port());
      }
      List<Integer> ports = freePorts(INSTANCES * 3);
      for (int i = 0; i < INSTANCES; i++) {
        Slot s = new Slot(i + 1, ports.get(3 * i), ports.get(3 * i + 1), ports.get(3 * i + 2));
        // Networked: one instance ahead, one behind, one on the machine's clock at first.
        s.clock = net == null ? null : new String[] {"+5s", "-5s", null}[i];
        c.slots.add(s);
        c.launch(s, "cs" + s.number);
        if (net != null) {
          net.exposeInstance(s.number, List.of(s.webapi, s.esp, s.admin));
        }
      }
      log.log(
          "cluster up: Cassandra %s, PostgreSQL port %d, instances %s",
          cassandra.contactPoints(), postgres.port(), c.describe());
      return c;
    } catch (Exception e) {
      if (c != null) {
        c.close();
      } else {
        if (postgres != null) {
          postgres.close();
        }
        cassandra.close();
        if (net != null) {
          net.close();
        }
      }
      throw e;
    }
  }

  private void launch(Slot s, String id) throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hachat.store.type", "cassandra");
    p.put("hachat.store.cassandra.contact-points", String.join(",", cassandra.contactPoints()));
    p.put("hachat.store.cassandra.local-datacenter", cassandra.datacenter());
    p.put("hachat.store.cassandra.keyspace", "chaos");
    p.put("hachat.store.cassandra.replication-factor", String.valueOf(CASSANDRA_NODES));
    p.put("hachat.ucs.enabled", "true");
    p.put("hachat.ucs.postgres.port", String.valueOf(postgres.port()));
    p.put("hachat.ucs.postgres.password", "postgres");
    p.put("hachat.ucs.sweep-interval", "500");
    p.put("hachat.ucs.final-retry-max-delay", "1000");
    p.put("hachat.session.inactivity-control.enabled", "false");
    p.put("hachat.session.limit-for-sessions", "10000");
    p.put("hachat.webapi.port", String.valueOf(s.webapi));
    p.put("hachat.esp.port", String.valueOf(s.esp));
    p.put("hachat.admin.port", String.valueOf(s.admin));
    String logName = "chaos-" + id + "-" + s.incarnation++;
    List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
    if (testFault != null) {
      jvm.add("-Dhachat-test-fault=" + testFault);
    }
    List<String> prefix = List.of();
    if (net != null) {
      ChaosNet.placeInstance(s.number, p);
      prefix = net.instancePrefix(s.clock);
    }
    s.process = InstanceProcess.start(id, p, jvm, logName, prefix);
    s.instanceId = id;
    s.paused = false;
  }

  List<Integer> webapiPorts() {
    return slots.stream().map(s -> s.webapi).toList();
  }

  List<String> espEndpoints() {
    return slots.stream().map(s -> "127.0.0.1:" + s.esp).toList();
  }

  List<Integer> adminPorts() {
    return slots.stream().map(s -> s.admin).toList();
  }

  /** The id of the instance listening on this webapi or ESP port now ({@code ?} if none). */
  String instanceAt(int port) {
    for (Slot s : slots) {
      if (s.webapi == port || s.esp == port) {
        String id = s.instanceId;
        return id == null ? "?" : id;
      }
    }
    return "?";
  }

  /** The id of the instance in slot k (1-based) now ({@code ?} if none). */
  String instanceInSlot(int k) {
    String id = slots.get(k - 1).instanceId;
    return id == null ? "?" : id;
  }

  /** Like {@link #instanceAt(int)} for an ESP {@code host:port}. */
  String instanceAt(String hostPort) {
    return hostPort == null
        ? "?"
        : instanceAt(Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1)));
  }

  String describe() {
    return slots.stream()
        .map(s -> s.instanceId + "(pid " + (s.process == null ? "-" : s.process.pid()) + ")")
        .toList()
        .toString();
  }

  /**
   * Restarts every instance (kill -9, then under its old id) with the test-only fault {@code fault}
   * of docs/consistency.md switched on ({@code null}: a correct build again); the instances
   * restarted by later faults keep it. Does nothing if it is on already.
   */
  void useTestFault(String fault) throws Exception {
    if (Objects.equals(fault, testFault)) {
      return;
    }
    testFault = fault;
    log.log("instances restart with hachat-test-fault=%s", fault == null ? "(none)" : fault);
    for (Slot s : slots) {
      if (s.process != null) {
        s.process.close();
      }
      launch(s, "cs" + s.number);
    }
    log.log("instances up: %s", describe());
  }

  // ---- faults --------------------------------------------------------------------------------

  /** kill -9 of the instance in slot k (1-based). */
  void killInstance(int k) throws InterruptedException {
    Slot s = slots.get(k - 1);
    InstanceProcess p = s.process;
    log.log("FAULT kill -9 %s (pid %d)", s.instanceId, p.pid());
    p.close(); // SIGCONT if paused, then SIGKILL
    s.process = null;
    s.instanceId = null;
  }

  /** Starts an instance in slot k again, under its old id or a fresh one. */
  void restartInstance(int k, boolean freshId) throws Exception {
    restartInstance(k, freshId, slots.get(k - 1).clock);
  }

  /**
   * Like {@link #restartInstance(int, boolean)}, its clock now {@code clock} off (networked runs
   * only; a restart under the old id with a clock behind the old one writes "in the past").
   */
  void restartInstance(int k, boolean freshId, String clock) throws Exception {
    Slot s = slots.get(k - 1);
    s.clock = net == null ? null : clock;
    String id = freshId ? "cs" + s.number + "-r" + s.incarnation : "cs" + s.number;
    launch(s, id);
    log.log(
        "HEAL instance slot %d restarted as %s (pid %d)%s",
        k, id, s.process.pid(), s.clock == null ? "" : ", clock " + s.clock);
  }

  /** Whether the run has its network namespace (network faults, instance clocks off). */
  boolean networked() {
    return net != null;
  }

  /** The network faults (networked runs only); each healed by {@link #healNetwork}. */
  ChaosNet net() {
    if (net == null) {
      throw new IllegalStateException("not a networked run");
    }
    return net;
  }

  void healNetwork() throws Exception {
    if (net != null) {
      net.heal();
      log.log("HEAL network: every fault rule removed");
    }
  }

  void pauseInstance(int k) throws Exception {
    Slot s = slots.get(k - 1);
    log.log("FAULT SIGSTOP %s (pid %d)", s.instanceId, s.process.pid());
    s.process.pause();
    s.paused = true;
  }

  void resumeInstance(int k) throws Exception {
    Slot s = slots.get(k - 1);
    s.process.resume();
    s.paused = false;
    log.log("HEAL SIGCONT %s (pid %d)", s.instanceId, s.process.pid());
  }

  /** Stops Cassandra node n (SIGTERM, or kill -9); never while another node is down. */
  void stopCassandraNode(int n, boolean kill) throws Exception {
    for (int i = 1; i <= CASSANDRA_NODES; i++) {
      if (cassandraDown.get(i) == 1) {
        throw new IllegalStateException("node " + i + " is down already: quorum would be lost");
      }
    }
    log.log("FAULT Cassandra node %d %s", n, kill ? "kill -9" : "SIGTERM");
    if (kill) {
      cassandra.killNode(n);
    } else {
      cassandra.stopNode(n);
    }
    cassandraDown.set(n, 1);
  }

  /** True while a Cassandra node is down (stopped and not started again yet). */
  boolean cassandraNodeDown() {
    for (int i = 1; i <= CASSANDRA_NODES; i++) {
      if (cassandraDown.get(i) == 1) {
        return true;
      }
    }
    return false;
  }

  void startCassandraNode(int n) throws Exception {
    cassandra.startNode(n);
    cassandraDown.set(n, 0);
    log.log("HEAL Cassandra node %d answers CQL again", n);
  }

  void stopPostgres() throws IOException {
    log.log("FAULT PostgreSQL stop");
    postgres.stop();
    postgresDown = true;
  }

  void startPostgres() throws IOException {
    postgres.startAgain();
    postgresDown = false;
    log.log("HEAL PostgreSQL started");
  }

  /** Ends every fault still in place: paused instances go on, dead ones and nodes start again. */
  void heal() throws Exception {
    healNetwork();
    for (Slot s : slots) {
      if (s.process != null && s.paused) {
        resumeInstance(s.number);
      }
    }
    for (int i = 1; i <= CASSANDRA_NODES; i++) {
      if (cassandraDown.get(i) == 1) {
        startCassandraNode(i);
      }
    }
    if (postgresDown) {
      startPostgres();
    }
    for (Slot s : slots) {
      if (s.process == null || !s.process.isAlive()) {
        restartInstance(s.number, false);
      }
    }
  }

  @Override
  public void close() {
    for (Slot s : slots) {
      if (s.process != null) {
        try {
          s.process.close();
        } catch (Exception e) {
          log.log("could not stop %s: %s", s.instanceId, e);
        }
      }
    }
    try {
      postgres.close();
    } catch (Exception e) {
      log.log("could not stop PostgreSQL: %s", e);
    }
    cassandra.close();
    if (net != null) {
      try {
        net.close();
      } catch (Exception e) {
        log.log("could not delete the network namespace: %s", e);
      }
    }
  }

  private static List<Integer> freePorts(int n) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        held.add(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
  }
}
