package dev.hachat.interaction.instances;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.InstanceRecord;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The state table judges rows by their heartbeat, on this server's clock (moved by hand). */
class InstanceLinksStateTableTest {
  private static final long TIMEOUT_MS = 3_000;

  private final Vertx vertx = Vertx.vertx();
  private final InstanceRegistry registry = TranscriptStores.inMemoryRegistry();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final InstanceLinks links =
      new InstanceLinks(
          vertx,
          registry,
          1_000,
          TIMEOUT_MS,
          "ixn-test",
          null,
          new InstanceEvents() {
            @Override
            public void waiting(
                dev.hachat.esp.client.WaitingChat chat, String instanceId, String esp) {}

            @Override
            public void waitingEnded(String chatId, String reason) {}

            @Override
            public void located(dev.hachat.esp.client.ChatLocated located, String esp) {}
          },
          nanos::get);

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private void beat(String id, String state, long counter) throws Exception {
    // Port 1 on loopback: the links to these rows are refused, which the table does not judge.
    await(
        registry.heartbeat(
            new InstanceRecord(
                id, "127.0.0.1:1", "127.0.0.1:1", "127.0.0.1:1", state, 0, 10, counter, 0, "t")));
  }

  private void advance(long ms) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
  }

  private JsonObject row(String id) {
    return links.stateTable().stream()
        .map(JsonObject.class::cast)
        .filter(r -> r.getString("id").equals(id))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void a_row_whose_heartbeat_stands_still_past_the_timeout_is_failed() throws Exception {
    beat("cs1", "normal", 1);
    beat("cs2", "normal", 1);
    await(links.poll());
    for (int t = 1; t <= 4; t++) { // cs1 beats on, cs2 was killed after its first beat
      advance(1_000);
      beat("cs1", "normal", 1 + t);
      await(links.poll());
    }
    assertThat(row("cs1").getString("state")).isEqualTo("normal");
    assertThat(row("cs1").getBoolean("alive")).isTrue();
    assertThat(row("cs2").getString("state")).isEqualTo("failed");
    assertThat(row("cs2").getBoolean("alive")).isFalse();
    assertThat(row("cs2").getLong("heartbeatAgeMs")).isEqualTo(4_000);

    beat("cs2", "normal", 2); // back (a paused process resumed)
    await(links.poll());
    assertThat(row("cs2").getString("state")).isEqualTo("normal");
    assertThat(row("cs2").getBoolean("alive")).isTrue();
  }

  @Test
  void a_row_is_alive_up_to_the_timeout_and_a_stopped_one_stays_stopped() throws Exception {
    beat("cs1", "normal", 1);
    beat("cs3", InstanceRecord.STOPPED, 7);
    await(links.poll());
    advance(TIMEOUT_MS);
    await(links.poll());
    assertThat(row("cs1").getBoolean("alive")).as("exactly the timeout").isTrue();
    advance(1);
    assertThat(row("cs1").getString("state")).isEqualTo("failed");
    assertThat(row("cs3").getString("state")).isEqualTo(InstanceRecord.STOPPED);
  }
}
