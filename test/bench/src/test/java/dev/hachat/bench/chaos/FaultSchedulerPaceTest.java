package dev.hachat.bench.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultSchedulerPaceTest {
  @Test
  void denseGapsAreShortAndDefaultGapsAreNot() {
    Random random = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      long dense = new FaultScheduler.Pace(true, true).gap(random);
      long normal = FaultScheduler.Pace.DEFAULT.gap(random);
      assertTrue(dense >= 500 && dense < 1500, "dense gap " + dense);
      assertTrue(normal >= 2000 && normal < 6000, "default gap " + normal);
    }
  }

  @Test
  void eitherPaceDrawsOnceSoASeedKeepsItsFaults() {
    Random dense = new Random(7);
    Random normal = new Random(7);
    new FaultScheduler.Pace(false, true).gap(dense);
    FaultScheduler.Pace.DEFAULT.gap(normal);
    assertEquals(normal.nextLong(), dense.nextLong());
  }
}
