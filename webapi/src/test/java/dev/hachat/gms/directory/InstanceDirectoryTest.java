package dev.hachat.gms.directory;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.config.DirectoryOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.impl.memory.MemoryInstanceRegistry;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** New-chat selection and liveness, on a hand clock and an in-memory registry. */
class InstanceDirectoryTest {
  final Vertx vertx = Vertx.vertx();
  final MemoryInstanceRegistry registry = new MemoryInstanceRegistry();
  final AtomicLong clock = new AtomicLong();
  final InstanceDirectory directory =
      new InstanceDirectory(vertx, registry, new DirectoryOptions(), 1000, clock::get);

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void a_burst_of_new_chats_between_heartbeats_spreads_evenly() throws Exception {
    for (String id : new String[] {"cs1", "cs2", "cs3"}) {
      heartbeat(id, 0, 1);
    }
    poll();
    Map<String, Integer> chosen = new HashMap<>();
    for (int i = 0; i < 30; i++) {
      Instance target = directory.forNewChat().get(0);
      directory.placing(target.id());
      chosen.merge(target.id(), 1, Integer::sum);
    }
    assertThat(chosen)
        .containsOnly(Map.entry("cs1", 10), Map.entry("cs2", 10), Map.entry("cs3", 10));
  }

  @Test
  void placements_count_until_the_next_heartbeat_reports_them() throws Exception {
    heartbeat("cs1", 0, 1);
    heartbeat("cs2", 5, 1);
    poll();
    for (int i = 0; i < 5; i++) {
      directory.placing("cs1");
    }
    directory.placing("cs1");
    assertThat(directory.forNewChat().get(0).id()).as("cs1 holds 6 by our count").isEqualTo("cs2");
    heartbeat("cs1", 6, 2); // its record now counts them
    poll();
    assertThat(directory.get("cs1").orElseThrow().placedSinceHeartbeat()).isZero();
    assertThat(directory.get("cs1").orElseThrow().load())
        .isEqualTo(directory.get("cs1").orElseThrow().record().sessions() / 100.0);
  }

  @Test
  void an_instance_whose_heartbeat_stops_for_the_timeout_is_dead() throws Exception {
    heartbeat("cs1", 0, 1);
    poll();
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(DirectoryOptions.DEFAULT_HEARTBEAT_TIMEOUT - 1));
    poll(); // same counter
    assertThat(directory.get("cs1").orElseThrow().alive()).isTrue();
    clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(2));
    assertThat(directory.get("cs1").orElseThrow().alive()).isFalse();
    assertThat(directory.forNewChat()).isEmpty();
  }

  private void heartbeat(String id, int sessions, long counter) throws Exception {
    await(
        registry.heartbeat(
            new InstanceRecord(
                id,
                "127.0.0.1:1",
                "127.0.0.1:2",
                "127.0.0.1:3",
                "normal",
                sessions,
                100,
                counter,
                0,
                "test")));
  }

  private void poll() throws Exception {
    await(directory.poll());
  }
}
