package dev.hachat.server.cluster;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.testing.ManualClock;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The own lease on its context: snapshots after each change, hops from a foreign thread. */
class OwnLeaseTest {
  private final Vertx vertx = Vertx.vertx();
  private final OwnContext context = OwnContext.create(vertx);
  private final HoldingRegistry registry = new HoldingRegistry();
  private final ManualClock clock = new ManualClock();
  private final HaOptions ha = new HaOptions(); // interval 500 ms, timeout 3000 ms
  private final AtomicBoolean lostOnContext = new AtomicBoolean();
  private final OwnLease lease =
      new OwnLease(
          context,
          registry,
          ha,
          "cs-a",
          () -> new InstanceRecord("cs-a", "h:1", "h:2", "h:3", "normal", 0, 10, 0, 0, "test"),
          clock.nanos(),
          () -> lostOnContext.set(context.isCurrent()));

  {
    registry.expected = context;
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static long ms(long millis) {
    return TimeUnit.MILLISECONDS.toNanos(millis);
  }

  @Test
  void a_snapshot_reflects_the_lease_after_a_heartbeat_and_stays_as_it_was() throws Exception {
    LeaseSnapshot before = lease.snapshot();
    long t0 = clock.nanoTime();
    await(lease.start()); // from the test thread: the heartbeat is sent from the lease's context
    LeaseSnapshot gained = lease.snapshot();

    assertThat(before).isEqualTo(LeaseSnapshot.NONE);
    assertThat(before.valid(t0)).isFalse();
    assertThat(gained.held()).isTrue();
    assertThat(gained.untilNanos()).isEqualTo(t0 + ms(ha.leaseMillis()));
    assertThat(gained.quarantineUntilNanos()).isEqualTo(t0 + ms(ha.quarantineMillis()));
    assertThat(gained.lastSelf().heartbeat()).isEqualTo(1);
    assertThat(gained.inQuarantine(t0)).isTrue();

    clock.advanceMillis(ha.getHeartbeatInterval());
    await(lease.tick());
    LeaseSnapshot renewed = lease.snapshot();
    assertThat(renewed.untilNanos()).isEqualTo(clock.nanoTime() + ms(ha.leaseMillis()));
    assertThat(renewed.lastSelf().heartbeat()).isEqualTo(2);
    assertThat(renewed.generation()).isEqualTo(gained.generation());
    assertThat(gained.untilNanos()).as("the old snapshot").isEqualTo(t0 + ms(ha.leaseMillis()));
    assertThat(gained.lastSelf().heartbeat()).isEqualTo(1);
    assertThat(registry.offContext).hasValue(0);
  }

  @Test
  void a_lapse_is_noticed_and_fenced_on_the_lease_context() throws Exception {
    await(lease.start());
    clock.advanceMillis(ha.leaseMillis());
    assertThat(lease.valid()).as("lapsed by the clock alone").isFalse();
    assertThat(lease.snapshot().held()).as("not noticed yet").isTrue();

    await(lease.tick());
    assertThat(lostOnContext).as("onLeaseLost ran on the lease's context").isTrue();
    assertThat(lease.snapshot().generation()).isEqualTo(1);
    assertThat(lease.valid()).as("regained at once, in quarantine").isTrue();
    assertThat(lease.ownershipGuard()).isNull();
  }

  @Test
  void a_stop_from_a_foreign_thread_is_applied_before_the_last_record_is_written()
      throws Exception {
    await(lease.start());
    lease.stop(); // not awaited: the last record follows it on the context
    await(lease.deregister());
    assertThat(lease.snapshot().stopped()).isTrue();
    assertThat(lease.valid()).isFalse();
    assertThat(await(registry.delegate.list()))
        .singleElement()
        .satisfies(r -> assertThat(r.stopped()).isTrue());
    await(lease.tick());
    assertThat(lease.snapshot().lastSelf().heartbeat())
        .as("no heartbeat after the stop")
        .isEqualTo(1);
    assertThat(registry.offContext).hasValue(0);
  }
}
