package dev.hachat.store;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour every {@link InstanceRegistry} backend must have (heartbeat, list, remove, expiry,
 * the stopped record). A backend's test extends this class and implements {@link #createRegistry}
 * and {@link #age}; nothing else may be overridden, so every backend passes the same tests. No test
 * waits for the TTL: {@link #age} moves each backend's notion of time instead.
 */
@ExtendWith(VertxExtension.class)
public abstract class InstanceRegistryContract {
  /** How long a record that is not refreshed stays listed (the SPI's backends: 60 s). */
  protected static final Duration RECORD_TTL = Duration.ofSeconds(60);

  /** How long {@link #createRegistry} may take to connect and create the schema. */
  protected static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  protected InstanceRegistry registry;

  /** Returns an empty registry. */
  protected abstract InstanceRegistry createRegistry(Vertx vertx) throws Exception;

  /**
   * Makes every record written so far {@code by} older, as if that much time had passed with no one
   * writing; returns once the registry shows it (a record older than {@link #RECORD_TTL} is gone).
   */
  protected abstract void age(Duration by) throws Exception;

  /** Releases what {@link #createRegistry} opened. */
  protected abstract void closeRegistry() throws Exception;

  @BeforeEach
  final void setUpRegistry(Vertx vertx) throws Exception {
    registry = createRegistry(vertx); // a Vertx per test, closed after it by VertxExtension
  }

  @AfterEach
  final void tearDownRegistry() throws Exception {
    closeRegistry();
  }

  private static InstanceRecord record(String id, String state, long heartbeat) {
    return new InstanceRecord(
        id,
        "127.0.0.1:8001",
        "127.0.0.1:9001",
        "127.0.0.1:7001",
        state,
        3,
        100,
        heartbeat,
        1_700_000_000_000L,
        "0.1.0-test");
  }

  private List<InstanceRecord> listed() throws Exception {
    return await(registry.list());
  }

  private InstanceRecord listed(String id) throws Exception {
    return listed().stream().filter(r -> r.instanceId().equals(id)).findFirst().orElse(null);
  }

  @Test
  void an_empty_registry_lists_nothing() throws Exception {
    assertThat(listed()).isEmpty();
  }

  @Test
  void a_heartbeat_is_listed_with_every_field_as_written() throws Exception {
    InstanceRecord cs1 = record("cs1", "normal", 1);
    await(registry.heartbeat(cs1));
    assertThat(listed()).containsExactly(cs1);
  }

  @Test
  void a_later_heartbeat_replaces_the_record_of_the_same_instance() throws Exception {
    await(registry.heartbeat(record("cs1", "normal", 1)));
    InstanceRecord later =
        new InstanceRecord(
            "cs1", "127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3", "disabled", 7, 50, 2, 5L, "0.2");
    await(registry.heartbeat(later));
    assertThat(listed()).containsExactly(later);
  }

  @Test
  void list_holds_every_instance_and_web_api_server_row() throws Exception {
    InstanceRecord webApi =
        new InstanceRecord(
            InstanceRecord.WEB_API_SERVER_PREFIX + "gms1",
            "127.0.0.1:8080",
            "",
            "",
            "normal",
            0,
            0,
            4,
            1_700_000_000_000L,
            "0.1.0-test");
    List<InstanceRecord> all =
        List.of(
            record("cs1", "normal", 1),
            record("cs2", "disabled", 2),
            record("cs3", "normal", 3),
            webApi);
    for (InstanceRecord r : all) {
      await(registry.heartbeat(r));
    }
    assertThat(listed()).containsExactlyInAnyOrderElementsOf(all);
    assertThat(listed(webApi.instanceId()).isWebApiServer()).isTrue();
  }

  @Test
  void remove_drops_only_that_record_may_be_repeated_and_the_id_may_register_again()
      throws Exception {
    InstanceRecord cs2 = record("cs2", "normal", 1);
    await(registry.heartbeat(record("cs1", "normal", 1)));
    await(registry.heartbeat(cs2));

    await(registry.remove("cs1"));
    assertThat(listed()).containsExactly(cs2);
    await(registry.remove("cs1"));
    await(registry.remove("never-registered"));
    assertThat(listed()).containsExactly(cs2);

    InstanceRecord again = record("cs1", "normal", 1); // a restart under the same id
    await(registry.heartbeat(again));
    assertThat(listed()).containsExactlyInAnyOrder(cs2, again);
  }

  @Test
  void a_record_not_refreshed_for_its_ttl_expires() throws Exception {
    await(registry.heartbeat(record("cs1", "normal", 1)));
    age(RECORD_TTL.minusSeconds(10));
    assertThat(listed("cs1")).as("listed within its TTL").isNotNull();
    age(Duration.ofSeconds(11));
    assertThat(listed()).as("expired").isEmpty();
  }

  @Test
  void each_heartbeat_starts_the_ttl_again() throws Exception {
    await(registry.heartbeat(record("cs1", "normal", 1)));
    await(registry.heartbeat(record("cs2", "normal", 1)));
    age(RECORD_TTL.minusSeconds(10));
    InstanceRecord refreshed = record("cs1", "normal", 2);
    await(registry.heartbeat(refreshed));
    age(RECORD_TTL.minusSeconds(10));
    assertThat(listed()).as("cs2 expired, cs1 refreshed in time").containsExactly(refreshed);
  }

  @Test
  void the_stopped_record_replaces_the_live_one_and_is_listed_as_stopped() throws Exception {
    await(registry.heartbeat(record("cs1", "normal", 1)));
    InstanceRecord stopped = record("cs1", InstanceRecord.STOPPED, 2);
    await(registry.heartbeat(stopped));
    assertThat(listed()).containsExactly(stopped);
    assertThat(listed("cs1").stopped()).isTrue();
  }

  @Test
  void the_stopped_record_expires_like_any_other() throws Exception {
    await(registry.heartbeat(record("cs1", InstanceRecord.STOPPED, 2)));
    age(RECORD_TTL.minusSeconds(10));
    assertThat(listed("cs1").stopped()).isTrue();
    age(Duration.ofSeconds(11));
    assertThat(listed()).isEmpty();
  }
}
