package dev.hachat.esp.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class JitterTest {

  @Test
  void delays_stay_within_the_bounds() {
    Random random = new Random(1);
    for (int i = 0; i < 10_000; i++) {
      assertThat(Jitter.between(100, 500, random)).isBetween(100L, 500L);
    }
    assertThat(Jitter.between(300, 200, random)).as("max below min").isEqualTo(300);
    assertThat(Jitter.between(-5, 0, random)).isZero();
  }

  @Test
  void the_clients_of_a_dead_instance_spread_over_the_whole_window() {
    // 1,000 agents of a dead instance, default bounds 100-500 ms: in no 50 ms slice of the window
    // do more than a fifth of them come back (uniform: an eighth each).
    Random random = new Random(7);
    int[] slices = new int[8];
    for (int i = 0; i < 1000; i++) {
      long d =
          Jitter.between(
              FailoverEspClientOptions.DEFAULT_RETRY_MIN_DELAY,
              FailoverEspClientOptions.DEFAULT_RETRY_MAX_DELAY,
              random);
      slices[(int) Math.min(7, (d - 100) / 50)]++;
    }
    for (int n : slices) {
      assertThat(n).isBetween(80, 200);
    }
  }
}
