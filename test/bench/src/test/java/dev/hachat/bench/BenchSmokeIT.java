package dev.hachat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A short run of each benchmark, so that they keep working; the figures are not judged here. */
class BenchSmokeIT {

  @Test
  void load_benchmark_runs_and_sustains_a_low_rate() throws Exception {
    List<LoadBench.Step> steps = new LoadBench("instance").run(5, 2, 2, "50,100");
    assertThat(steps).isNotEmpty();
    assertThat(LoadBench.sustained(steps.get(0))).as("50 msg/s through one instance").isTrue();
    assertThat(steps.get(0).delivered().getTotalCount()).isPositive();
  }

  @Test
  void load_benchmark_through_a_web_api_server_sustains_a_low_rate() throws Exception {
    List<LoadBench.Step> steps = new LoadBench("gms").run(5, 2, 2, "50");
    assertThat(steps).isNotEmpty();
    assertThat(LoadBench.sustained(steps.get(0))).as("50 msg/s through GMS REST").isTrue();
    assertThat(steps.get(0).delivered().getTotalCount()).isPositive();
  }

  @Test
  void load_benchmark_over_cometd_websocket_sustains_a_low_rate() throws Exception {
    List<LoadBench.Step> steps = new LoadBench("cometd-ws").run(5, 2, 2, "50");
    assertThat(steps).isNotEmpty();
    assertThat(LoadBench.sustained(steps.get(0))).as("50 msg/s over CometD").isTrue();
    assertThat(steps.get(0).delivered().getTotalCount()).isPositive();
  }

  @Test
  void failover_benchmark_loses_and_duplicates_nothing() throws Exception {
    assertThat(new FailoverBench().run(10)).isTrue();
  }

  @Test
  void interaction_benchmark_routes_every_chat_once_through_both_take_overs() throws Exception {
    assertThat(new InteractionBench().run(20, 20, 20)).isTrue();
  }

  @Test
  void memory_benchmark_measures_a_positive_size() throws Exception {
    assertThat(new MemoryBench().run("3000")).isPositive();
  }
}
