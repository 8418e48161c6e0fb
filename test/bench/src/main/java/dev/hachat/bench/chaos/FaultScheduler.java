package dev.hachat.bench.chaos;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Picks faults at random from a seed, one at a time, each held for a few seconds and then healed,
 * with a random gap before the next: kill -9 of an instance (restarted under its old id or a fresh
 * one), SIGSTOP of an instance (then SIGCONT), stop or kill -9 of one Cassandra node (then start
 * it: never two nodes down, so the quorum holds), a PostgreSQL restart. The same seed gives the
 * same faults in the same order (the timing follows the machine); a run may be limited to some
 * kinds (the others are drawn and skipped, so every kind keeps its odds among those left). A
 * networked run ({@link ChaosCluster#networked}) also draws network faults ({@link Kind#NET}: the
 * store cut off from an instance both ways or one way, 10 % loss on that path, the clients cut off
 * from an instance, one Cassandra node cut off from the others, PostgreSQL cut off from an
 * instance) and restarts killed instances with their clocks 5 s ahead, 5 s behind or right. With
 * {@code overlap} a Cassandra node comes back on a thread of its own (its start takes a minute)
 * while the other kinds go on; no second Cassandra fault, nor a node cut from the others, is drawn
 * until it is back (redrawn, so such a run's faults follow its seed less closely). A {@code dense}
 * run waits 0.5–1.5 s between faults instead of 2–6 s (about half again the faults per hour, less
 * time to recover between them). Runs on its own thread; sleeping here paces the faults, it
 * synchronises nothing.
 */
final class FaultScheduler {
  enum Kind {
    KILL,
    STOP,
    CASSANDRA,
    PG,
    NET
  }

  /**
   * How faults follow each other: {@code overlap}, Cassandra nodes come back while other faults go
   * on; {@code dense}, short gaps between faults.
   */
  record Pace(boolean overlap, boolean dense) {
    static final Pace DEFAULT = new Pace(false, false);

    /** The gap after a fault, in milliseconds (one draw, whatever the pace). */
    long gap(Random random) {
      return dense ? 500 + random.nextInt(1000) : 2000 + random.nextInt(4000);
    }
  }

  /** The clocks a killed instance of a networked run comes back with. */
  private static final String[] CLOCKS = {"+5s", "-5s", null};

  private final Random random;
  private final ChaosCluster cluster;
  private final ChaosLog log;
  private final Set<Kind> kinds;
  private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);
  private final Pace pace;

  /** The thread bringing a Cassandra node back ({@code overlap}), or null. */
  private Thread cassandraBack;

  FaultScheduler(long seed, ChaosCluster cluster, ChaosLog log) {
    this(seed, cluster, log, EnumSet.allOf(Kind.class), Pace.DEFAULT);
  }

  /** Injects only faults of {@code kinds} (not empty), at {@code pace}. */
  FaultScheduler(long seed, ChaosCluster cluster, ChaosLog log, Set<Kind> kinds, Pace pace) {
    this.pace = pace;
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no fault kinds");
    }
    this.random = new Random(seed);
    this.cluster = cluster;
    this.log = log;
    this.kinds = EnumSet.copyOf(kinds);
    for (Kind k : Kind.values()) {
      counts.put(k, 0);
    }
  }

  /** Faults until {@code endNanos} (none starts later than that), then heals everything. */
  void run(long endNanos) throws Exception {
    try {
      sleep(1000 + random.nextInt(2000));
      while (System.nanoTime() < endNanos && !Thread.currentThread().isInterrupted()) {
        inject(pick());
        long gap = pace.gap(random);
        long left = TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
        if (left <= gap) {
          break;
        }
        sleep(gap);
      }
    } finally {
      if (cassandraBack != null) {
        cassandraBack.join();
      }
      cluster.heal();
    }
  }

  /**
   * True while a Cassandra node is coming back on its own thread, or is still down because it did
   * not (it is started again at the end): no fault that needs every node up is drawn then.
   */
  private boolean cassandraComingBack() {
    return (cassandraBack != null && cassandraBack.isAlive()) || cluster.cassandraNodeDown();
  }

  private Kind pick() {
    while (true) {
      // A run without its network draws as before NET existed: the same seed, the same faults.
      int r = random.nextInt(cluster.networked() ? 14 : 10);
      Kind k =
          r < 3
              ? Kind.KILL
              : r < 6 ? Kind.STOP : r < 8 ? Kind.CASSANDRA : r < 10 ? Kind.PG : Kind.NET;
      if (kinds.contains(k) && !(k == Kind.CASSANDRA && cassandraComingBack())) {
        return k;
      }
    }
  }

  private void inject(Kind kind) throws Exception {
    counts.merge(kind, 1, Integer::sum);
    switch (kind) {
      case KILL -> {
        int k = 1 + random.nextInt(ChaosCluster.INSTANCES);
        boolean fresh = random.nextBoolean();
        long down = 1000 + random.nextInt(3000);
        cluster.killInstance(k);
        sleep(down);
        if (cluster.networked()) {
          cluster.restartInstance(k, fresh, CLOCKS[random.nextInt(CLOCKS.length)]);
        } else {
          cluster.restartInstance(k, fresh);
        }
      }
      case STOP -> {
        int k = 1 + random.nextInt(ChaosCluster.INSTANCES);
        long frozen = 1500 + random.nextInt(5000); // heartbeat-timeout 3 s: some are taken over
        cluster.pauseInstance(k);
        sleep(frozen);
        cluster.resumeInstance(k);
      }
      case CASSANDRA -> {
        int n = 1 + random.nextInt(ChaosCluster.CASSANDRA_NODES);
        boolean kill = random.nextBoolean();
        long down = 2000 + random.nextInt(4000);
        cluster.stopCassandraNode(n, kill);
        if (pace.overlap()) {
          cassandraBack = new Thread(() -> comeBack(n, down), "cassandra-back-" + n);
          cassandraBack.start();
        } else {
          sleep(down);
          cluster.startCassandraNode(n);
        }
      }
      case PG -> {
        long down = 500 + random.nextInt(2500);
        cluster.stopPostgres();
        sleep(down);
        cluster.startPostgres();
      }
      case NET -> {
        int which = random.nextInt(6);
        while (which == 4 && cassandraComingBack()) {
          which = random.nextInt(6); // a node cut from the others while one is down: no quorum
        }
        network(which, 1 + random.nextInt(ChaosCluster.INSTANCES));
        sleep(2000 + random.nextInt(5000)); // past heartbeat-timeout at times: some take over
        cluster.healNetwork();
      }
    }
  }

  /** Starts the node after its down time; a start that fails is tried twice more, then left. */
  private void comeBack(int node, long downMillis) {
    try {
      sleep(downMillis);
      for (int attempt = 1; ; attempt++) {
        try {
          cluster.startCassandraNode(node);
          return;
        } catch (Exception e) {
          if (attempt == 3) {
            log.log("Cassandra node %d did not come back: %s (healed at the end)", node, e);
            return;
          }
          log.log("Cassandra node %d did not start (attempt %d): %s", node, attempt, e);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Network fault {@code which} on instance slot {@code k} (or a Cassandra node). */
  private void network(int which, int k) throws Exception {
    ChaosNet net = cluster.net();
    int nodes = ChaosCluster.CASSANDRA_NODES;
    String id = cluster.instanceInSlot(k);
    switch (which) {
      case 0 -> {
        log.log("FAULT network: %s <-> Cassandra cut", id);
        net.cutStore(k, nodes, false);
      }
      case 1 -> {
        log.log("FAULT network: %s -> Cassandra cut (one way)", id);
        net.cutStore(k, nodes, true);
      }
      case 2 -> {
        log.log("FAULT network: 10 %% loss between %s and Cassandra", id);
        net.loseStore(k, nodes, 10);
      }
      case 3 -> {
        log.log("FAULT network: clients <-> %s cut", id);
        net.cutClients(k);
      }
      case 4 -> {
        log.log("FAULT network: Cassandra node %d cut from the other nodes", k);
        net.cutNode(k, nodes);
      }
      default -> {
        log.log("FAULT network: %s <-> PostgreSQL cut", id);
        net.cutPostgres(k);
      }
    }
  }

  int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** {@code faults=N (kill=… stop=… cassandra=… pg=…[ net=…])} */
  String summary() {
    return String.format(
        "faults=%d (kill=%d stop=%d cassandra=%d pg=%d%s)",
        total(),
        counts.get(Kind.KILL),
        counts.get(Kind.STOP),
        counts.get(Kind.CASSANDRA),
        counts.get(Kind.PG),
        cluster.networked() ? " net=" + counts.get(Kind.NET) : "");
  }

  private static void sleep(long millis) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(millis);
  }
}
