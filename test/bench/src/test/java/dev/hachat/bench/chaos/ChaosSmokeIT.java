package dev.hachat.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A short chaos loop on the JVM's chaos cluster ({@link SharedChaosCluster}: three Cassandra nodes,
 * PostgreSQL, three instances, a correct build): a run with a fixed seed, then one with a random
 * seed (printed, so a failure can be replayed with {@code scripts/bench chaos --seed N}). Fails if
 * the history checker finds a lost, duplicated, reordered or misplaced message, a gap, a double
 * owner, or a client got a non-retryable error.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SharedChaosCluster.class)
class ChaosSmokeIT {
  static final int SECONDS = 15;
  static final int SESSIONS = 6;
  private final ChaosLog log = SharedChaosCluster.LOG;
  private ChaosCluster cluster;

  @BeforeAll
  void useACorrectBuild(ChaosCluster shared) throws Exception {
    cluster = shared;
    cluster.useTestFault(null); // CheckerCatchesFaultsIT may have left a fault on
  }

  @Test
  void chaos_with_a_fixed_seed_keeps_every_acknowledged_message_once_in_place() throws Exception {
    assertClean(ChaosBench.run(cluster, log, 42, SECONDS, SESSIONS));
  }

  @Test
  void chaos_with_a_random_seed_keeps_every_acknowledged_message_once_in_place() throws Exception {
    long seed = ThreadLocalRandom.current().nextLong(1L << 40);
    System.out.println("random chaos seed: " + seed);
    assertClean(ChaosBench.run(cluster, log, seed, SECONDS, SESSIONS));
  }

  static void assertClean(ChaosBench.Result r) {
    assertThat(r.verdict().acked()).as(r.line()).isPositive();
    assertThat(r.ok()).as(r.line() + "\n" + r.verdict().problems() + "\n" + r.failures()).isTrue();
  }
}
