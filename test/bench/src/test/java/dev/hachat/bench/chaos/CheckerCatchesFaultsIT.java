package dev.hachat.bench.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.hachat.bench.chaos.FaultScheduler.Kind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chaos checker can fail: on a build with a test-only fault switched on ({@code
 * hachat-test-fault}, docs/consistency.md) the same short chaos runs that a correct build passes
 * must make {@link HistoryChecker} report what the fault breaks. Without this a clean {@code CHAOS
 * RESULT} could mean the checker sees nothing. Two scenarios on the JVM's chaos cluster ({@link
 * SharedChaosCluster}, the one {@link ChaosSmokeIT} uses too): kill -9 faults only (against {@code
 * ack-before-save}: acknowledged messages lost), and SIGSTOP faults only (against {@code
 * skip-epoch-fence}: one index acknowledged by two owners). A fault shows only when a kill or a
 * pause hits the right moment, so a faulty build gets up to {@value #MAX_ROUNDS} runs (seeds from
 * {@link #SEED} up) and fails if the checker never reports it; the correct build runs the first
 * seed of each scenario once and must be clean.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@ExtendWith(SharedChaosCluster.class)
class CheckerCatchesFaultsIT {
  static final int SECONDS = 15;
  static final int SESSIONS = 10;
  static final int MAX_ROUNDS = 4;
  static final long SEED = 17;
  static final Set<Kind> KILLS = EnumSet.of(Kind.KILL);
  static final Set<Kind> PAUSES = EnumSet.of(Kind.STOP);
  private final ChaosLog log = SharedChaosCluster.LOG;
  private ChaosCluster cluster;

  @BeforeAll
  void useTheSharedCluster(ChaosCluster shared) {
    cluster = shared;
  }

  @Test
  @Order(1)
  void a_correct_build_loses_nothing_under_kills() throws Exception {
    cluster.useTestFault(null);
    ChaosSmokeIT.assertClean(
        ChaosBench.run(cluster, log, SEED, SECONDS, SESSIONS, KILLS, FaultScheduler.Pace.DEFAULT));
  }

  @Test
  @Order(2)
  void a_correct_build_has_one_owner_under_pauses() throws Exception {
    cluster.useTestFault(null);
    ChaosSmokeIT.assertClean(
        ChaosBench.run(cluster, log, SEED, SECONDS, SESSIONS, PAUSES, FaultScheduler.Pace.DEFAULT));
  }

  @Test
  @Order(3)
  void checker_reports_lost_messages_when_acks_come_before_saves() throws Exception {
    cluster.useTestFault("ack-before-save");
    assertCaught(KILLS, "lost", HistoryChecker.Verdict::lost);
  }

  @Test
  @Order(4)
  void checker_reports_double_owners_when_the_epoch_fence_is_skipped() throws Exception {
    cluster.useTestFault("skip-epoch-fence");
    assertCaught(PAUSES, "double_owners", HistoryChecker.Verdict::doubleOwners);
  }

  /** Runs the scenario until the checker reports the fault, at most {@link #MAX_ROUNDS} times. */
  private void assertCaught(Set<Kind> kinds, String what, ToIntFunction<HistoryChecker.Verdict> n)
      throws Exception {
    List<String> lines = new ArrayList<>();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      ChaosBench.Result r =
          ChaosBench.run(
              cluster, log, SEED + round, SECONDS, SESSIONS, kinds, FaultScheduler.Pace.DEFAULT);
      lines.add(r.line());
      assertThat(r.verdict().acked()).as(r.line()).isPositive();
      if (n.applyAsInt(r.verdict()) > 0) {
        log.log("the checker caught the fault (%s) in round %d of %d", what, round + 1, MAX_ROUNDS);
        assertThat(r.ok()).as(r.line()).isFalse();
        return;
      }
    }
    fail("the checker never reported %s > 0 in %d runs:%n%s", what, MAX_ROUNDS, lines);
  }
}
