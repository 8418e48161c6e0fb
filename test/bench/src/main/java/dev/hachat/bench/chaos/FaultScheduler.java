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
 * kinds (the others are drawn and skipped, so every kind keeps its odds among those left). Runs on
 * its own thread; sleeping here paces the faults, it synchronises nothing.
 */
final class FaultScheduler {
  enum Kind {
    KILL,
    STOP,
    CASSANDRA,
    PG
  }

  private final Random random;
  private final ChaosCluster cluster;
  private final ChaosLog log;
  private final Set<Kind> kinds;
  private final Map<Kind, Integer> counts = new EnumMap<>(Kind.class);

  FaultScheduler(long seed, ChaosCluster cluster, ChaosLog log) {
    this(seed, cluster, log, EnumSet.allOf(Kind.class));
  }

  /** Injects only faults of {@code kinds} (not empty). */
  FaultScheduler(long seed, ChaosCluster cluster, ChaosLog log, Set<Kind> kinds) {
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
        long gap = 2000 + random.nextInt(4000);
        long left = TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime());
        if (left <= gap) {
          break;
        }
        sleep(gap);
      }
    } finally {
      cluster.heal();
    }
  }

  private Kind pick() {
    while (true) {
      int r = random.nextInt(10);
      Kind k = r < 3 ? Kind.KILL : r < 6 ? Kind.STOP : r < 8 ? Kind.CASSANDRA : Kind.PG;
      if (kinds.contains(k)) {
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
        cluster.restartInstance(k, fresh);
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
        sleep(down);
        cluster.startCassandraNode(n);
      }
      case PG -> {
        long down = 500 + random.nextInt(2500);
        cluster.stopPostgres();
        sleep(down);
        cluster.startPostgres();
      }
    }
  }

  int total() {
    return counts.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** {@code faults=N (kill=… stop=… cassandra=… pg=…)} */
  String summary() {
    return String.format(
        "faults=%d (kill=%d stop=%d cassandra=%d pg=%d)",
        total(),
        counts.get(Kind.KILL),
        counts.get(Kind.STOP),
        counts.get(Kind.CASSANDRA),
        counts.get(Kind.PG));
  }

  private static void sleep(long millis) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(millis);
  }
}
