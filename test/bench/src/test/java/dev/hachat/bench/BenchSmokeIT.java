package dev.hachat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.cassandra.CassandraCluster;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A short run of each benchmark, so that they keep working; the figures are not judged here. The
 * benchmarks that need Cassandra share one node, each in a keyspace of its own (a benchmark run by
 * {@code scripts/bench} starts a node of its own).
 */
class BenchSmokeIT {
  static CassandraCluster cassandra;

  @BeforeAll
  static void startCassandra() throws Exception {
    cassandra = CassandraCluster.start(1);
  }

  @AfterAll
  static void stopCassandra() {
    if (cassandra != null) {
      cassandra.close();
    }
  }

  /** A keyspace of its own on the class's node. */
  private static BenchSupport.Store store(String keyspace) {
    return new BenchSupport.Store(cassandra, keyspace);
  }

  @Test
  void load_benchmark_runs_and_sustains_a_low_rate() throws Exception {
    List<LoadBench.Step> steps =
        new LoadBench("instance", store("smoke_load")).run(5, 2, 2, "50,100");
    assertThat(steps).isNotEmpty();
    assertThat(LoadBench.sustained(steps.get(0))).as("50 msg/s through one instance").isTrue();
    assertThat(steps.get(0).delivered().getTotalCount()).isPositive();
  }

  @Test
  void load_benchmark_through_a_web_api_server_sustains_a_low_rate() throws Exception {
    List<LoadBench.Step> steps = new LoadBench("gms", store("smoke_gms")).run(5, 2, 2, "50");
    assertThat(steps).isNotEmpty();
    assertThat(LoadBench.sustained(steps.get(0))).as("50 msg/s through GMS REST").isTrue();
    assertThat(steps.get(0).delivered().getTotalCount()).isPositive();
  }

  @Test
  void load_benchmark_over_cometd_websocket_sustains_a_low_rate() throws Exception {
    List<LoadBench.Step> steps =
        new LoadBench("cometd-ws", store("smoke_cometd")).run(5, 2, 2, "50");
    assertThat(steps).isNotEmpty();
    assertThat(LoadBench.sustained(steps.get(0))).as("50 msg/s over CometD").isTrue();
    assertThat(steps.get(0).delivered().getTotalCount()).isPositive();
  }

  @Test
  void failover_benchmark_loses_and_duplicates_nothing() throws Exception {
    assertThat(new FailoverBench(store("smoke_failover")).run(10)).isTrue();
  }

  @Test
  void interaction_benchmark_routes_every_chat_once_through_both_take_overs() throws Exception {
    assertThat(new InteractionBench().run(20, 20, 20)).isTrue();
  }

  @Test
  void active_chats_benchmark_acknowledges_and_delivers_every_message() throws Exception {
    ActiveChatsBench.Figures f = ActiveChatsBench.run(cassandra, "smoke_active", 200, 2, 4);
    assertThat(f.errors()).isZero();
    assertThat(f.undelivered()).isZero();
    assertThat(f.achieved()).as("200 chats, a message every 2 s each").isGreaterThan(50);
  }

  @Test
  void push_benchmark_holds_every_stream_it_opens() throws Exception {
    PushConnectionsBench.Figures f =
        PushConnectionsBench.run(cassandra, "smoke_push", 300, 600, 20);
    assertThat(f.held()).isEqualTo(600);
    assertThat(f.stoppedBy()).isEqualTo("max");
    assertThat(f.bytesPerSession()).isPositive();
  }

  @Test
  void memory_benchmark_measures_a_positive_size() throws Exception {
    assertThat(new MemoryBench(store("smoke_memory")).run("3000")).isPositive();
  }
}
