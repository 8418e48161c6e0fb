package dev.hachat.bench.chaos;

import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.systemtest.FakeClock;
import dev.hachat.systemtest.NetNamespace;
import dev.hachat.systemtest.NetnsRelay;
import dev.hachat.systemtest.OpsTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network of a chaos run with network faults ({@code scripts/bench chaos --net}): a private
 * network namespace of the run's own where the Cassandra nodes (127.0.0.10–12) and the instances
 * (slot k on 127.0.0.(20+k)) run, each bound to its own loopback address, so nftables rules between
 * two addresses cut, or drop a share of, exactly what passes between two processes
 * (docs/consistency.md, "The network-fault harness"). PostgreSQL stays on the host and is reached
 * inside at {@value #POSTGRES}; the clients stay on the host and reach each instance port at
 * 127.0.0.1 and at the instance's own address (through {@link NetnsRelay}, whose inside connections
 * come from 127.0.0.1, so a rule on 127.0.0.1 cuts the clients). Instances may run with their
 * clocks off ({@link FakeClock}). Faults are driven by one thread at a time.
 */
final class ChaosNet implements AutoCloseable {
  static final String CASSANDRA = "127.0.0.10";
  static final String POSTGRES = "127.0.0.40";
  static final String CLIENTS = "127.0.0.1";

  private final NetNamespace net;
  private final Path dir;
  private final NetnsRelay relay;

  private ChaosNet(NetNamespace net, Path dir, NetnsRelay relay) {
    this.net = net;
    this.dir = dir;
    this.relay = relay;
  }

  /** Installs nftables and libfaketime when missing, creates the namespace, starts the relay. */
  static ChaosNet start() throws Exception {
    OpsTools.install("nftables", "libfaketime");
    NetNamespace net = NetNamespace.create();
    Path dir = null;
    try {
      dir = Files.createTempDirectory("hachat-chaos-net-");
      return new ChaosNet(net, dir, NetnsRelay.start(net, dir));
    } catch (Exception e) {
      net.close();
      if (dir != null) {
        CassandraCluster.deleteTree(dir);
      }
      throw e;
    }
  }

  /** What runs a command inside. */
  List<String> prefix() {
    return net.prefix();
  }

  /** What runs an instance inside, its clock {@code clock} off ({@code +5s}; null: none). */
  List<String> instancePrefix(String clock) {
    List<String> p = new ArrayList<>(net.prefix());
    if (clock != null) {
      p.addAll(FakeClock.prefix(clock));
    }
    return p;
  }

  static String instanceAddress(int slot) {
    return "127.0.0." + (20 + slot);
  }

  /** Cassandra node n's address (1-based). */
  static String nodeAddress(int n) {
    return "127.0.0." + (9 + n);
  }

  /** Makes the host's PostgreSQL on {@code port} reachable inside at {@value #POSTGRES}. */
  void bridgePostgres(int port) throws Exception {
    relay.bridge(POSTGRES + ":" + port, "127.0.0.1:" + port, dir.resolve("pg.sock"));
  }

  /** The properties that put slot {@code slot}'s instance on its address. */
  static void placeInstance(int slot, Map<String, String> p) {
    String a = instanceAddress(slot);
    p.put("hachat.webapi.host", a);
    p.put("hachat.esp.host", a);
    p.put("hachat.admin.host", a);
    p.put("hachat.store.cassandra.local-address", a);
    p.put("hachat.ucs.postgres.host", POSTGRES);
  }

  /** Exposes slot {@code slot}'s ports on the host, at 127.0.0.1 and at its own address. */
  void exposeInstance(int slot, List<Integer> ports) throws Exception {
    String a = instanceAddress(slot);
    for (int port : ports) {
      relay.expose("127.0.0.1", port, a + ":" + port);
      relay.expose(a, port, a + ":" + port);
    }
  }

  // ---- faults (nftables rules in the namespace; heal removes them all) ------------------------

  /** Instance ↔ every Cassandra node, both ways or instance → nodes only. */
  void cutStore(int slot, int nodes, boolean oneWay) throws Exception {
    for (int n = 1; n <= nodes; n++) {
      if (oneWay) {
        net.cutOneWay(instanceAddress(slot), nodeAddress(n));
      } else {
        net.cut(instanceAddress(slot), nodeAddress(n));
      }
    }
  }

  /** {@code percent} % of the packets between the instance and every node dropped. */
  void loseStore(int slot, int nodes, int percent) throws Exception {
    for (int n = 1; n <= nodes; n++) {
      net.lose(instanceAddress(slot), nodeAddress(n), percent);
    }
  }

  /** The clients (customers and agents) ↔ the instance. */
  void cutClients(int slot) throws Exception {
    net.cut(CLIENTS, instanceAddress(slot));
  }

  /** Cassandra node {@code n} ↔ the other nodes (the instances still reach it). */
  void cutNode(int n, int nodes) throws Exception {
    for (int m = 1; m <= nodes; m++) {
      if (m != n) {
        net.cut(nodeAddress(n), nodeAddress(m));
      }
    }
  }

  /** The instance ↔ PostgreSQL. */
  void cutPostgres(int slot) throws Exception {
    net.cut(instanceAddress(slot), POSTGRES);
  }

  void heal() throws Exception {
    net.heal();
  }

  /** Ends the relay, deletes the namespace and the directory (processes inside ended first). */
  @Override
  public void close() throws Exception {
    try {
      relay.close();
      net.close();
    } finally {
      CassandraCluster.deleteTree(dir);
    }
  }
}
