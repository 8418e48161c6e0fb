package dev.hachat.server.cluster;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.testing.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * R1, R3 and R7 of docs/consistency.md on one membership with a hand-moved monotonic clock and an
 * in-memory registry whose answers a test can hold back. The membership's parts run on contexts of
 * their own: a test that holds an answer back first waits until the call reached the registry.
 */
class MembershipTest {
  private final Vertx vertx = Vertx.vertx();
  private final HoldingRegistry registry = new HoldingRegistry();
  private final ManualClock clock = new ManualClock();
  private final HaOptions ha = new HaOptions(); // interval 500 ms, timeout 3000 ms
  private final AtomicInteger leaseLosses = new AtomicInteger();
  private final AtomicLong otherCounter = new AtomicLong();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private static InstanceRecord record(String id, String state, long counter) {
    return new InstanceRecord(id, "h:1", "h:2", "h:3", state, 0, 10, counter, 0, "test");
  }

  private Membership membership(String id) throws Exception {
    Membership m =
        new Membership(
            vertx,
            registry,
            ha,
            id,
            () -> record(id, "normal", 0),
            clock.nanos(),
            leaseLosses::incrementAndGet);
    await(m.start(false));
    return m;
  }

  /** Another instance, cs-a, heartbeats once (its counter moves). */
  private void otherBeats() throws Exception {
    await(registry.delegate.heartbeat(record("cs-a", "normal", otherCounter.incrementAndGet())));
  }

  private void advance(long millis, Membership m, boolean otherAlive) throws Exception {
    for (long t = 0; t < millis; t += ha.getHeartbeatInterval()) {
      clock.advanceMillis(ha.getHeartbeatInterval());
      if (otherAlive) {
        otherBeats();
      }
      await(m.tick());
    }
  }

  @Test
  void owner_is_dead_for_a_restore_only_if_it_was_dead_when_the_load_began() throws Exception {
    Membership b = membership("cs-b");
    otherBeats();
    advance(ha.getHeartbeatInterval(), b, true);
    advance(ha.getHeartbeatTimeout() - ha.getHeartbeatInterval(), b, false);
    long loadStarted = clock.nanoTime();
    advance(2L * ha.getHeartbeatInterval(), b, false);

    assertThat(b.isAlive("cs-a")).as("unchanged for the timeout now").isFalse();
    assertThat(b.deadSince("cs-a", loadStarted)).as("but not yet when the load began").isFalse();
    assertThat(b.deadSince("cs-a", clock.nanoTime())).isTrue();
  }

  @Test
  void stopped_owner_is_dead_at_once_but_not_for_a_load_older_than_its_last_record()
      throws Exception {
    Membership b = membership("cs-b");
    advance(ha.getHeartbeatInterval(), b, true);
    long loadStarted = clock.nanoTime();
    await(registry.delegate.heartbeat(record("cs-a", InstanceRecord.STOPPED, 99)));
    advance(ha.getHeartbeatInterval(), b, false);

    assertThat(b.deadSince("cs-a", loadStarted)).isFalse();
    assertThat(b.deadSince("cs-a", clock.nanoTime())).isTrue();
    assertThat(b.isAlive("cs-a")).isFalse();
  }

  @Test
  void missing_owner_counts_as_alive_until_missing_for_the_timeout_and_a_gap_starts_over()
      throws Exception {
    Membership b = membership("cs-b");
    advance(ha.getHeartbeatTimeout() * 2L, b, false);
    assertThat(b.isAlive("cs-new")).as("never seen: missing since asked").isTrue();
    advance(ha.getHeartbeatTimeout() - ha.getHeartbeatInterval(), b, false);
    assertThat(b.isAlive("cs-new")).isTrue();
    advance(ha.getHeartbeatInterval(), b, false);
    assertThat(b.isAlive("cs-new")).isFalse();

    // b is paused: its view goes stale, nobody is dead; after it, absence is timed afresh.
    clock.advanceMillis(ha.getHeartbeatTimeout() * 3L);
    assertThat(b.isAlive("cs-new")).as("no fresh view").isTrue();
    await(b.tick());
    assertThat(b.isAlive("cs-new")).as("the first poll after a gap").isTrue();
    advance(ha.getHeartbeatTimeout(), b, false);
    assertThat(b.isAlive("cs-new")).isFalse();

    // An instance that vanishes from the registry counts as alive for the timeout too.
    otherBeats();
    advance(ha.getHeartbeatInterval(), b, true);
    await(registry.delegate.remove("cs-a"));
    advance(ha.getHeartbeatTimeout() - ha.getHeartbeatInterval(), b, false);
    assertThat(b.isAlive("cs-a")).isTrue();
    advance(2L * ha.getHeartbeatInterval(), b, false); // missing since the first poll without it
    assertThat(b.isAlive("cs-a")).isFalse();
  }

  @Test
  void a_poll_answered_late_is_as_old_as_its_start() throws Exception {
    Membership b = membership("cs-b");
    otherBeats();
    advance(ha.getHeartbeatInterval(), b, true);
    advance(ha.getHeartbeatTimeout() * 2L, b, false); // cs-a is dead on b's fresh view
    assertThat(b.isAlive("cs-a")).isFalse();

    // b's next poll is read at once but answered only after a pause: it is no fresh view.
    registry.holding = true;
    Future<Void> poll = b.tick();
    registry.awaitHeld(2); // its heartbeat and its poll
    clock.advanceMillis(ha.viewFreshMillis() + 1);
    registry.release();
    await(poll.otherwiseEmpty());
    assertThat(b.isAlive("cs-a")).as("no fresh view: nobody is dead").isTrue();
  }

  @Test
  void ownership_needs_the_quarantine_over_and_a_guard_never_survives_a_lapse() throws Exception {
    Membership a = membership("cs-a");
    assertThat(a.leaseValid()).isTrue();
    assertThat(a.ownershipGuard()).as("quarantine after the start").isNull();
    advance(ha.quarantineMillis() - ha.getHeartbeatInterval(), a, false);
    assertThat(a.ownershipGuard()).isNull();
    advance(ha.getHeartbeatInterval(), a, false);
    BooleanSupplier guard = a.ownershipGuard();
    assertThat(guard).isNotNull();
    assertThat(guard.getAsBoolean()).isTrue();

    // Paused past the lease: the first tick loses it and gains a new one, in quarantine.
    clock.advanceMillis(ha.getHeartbeatTimeout() + ha.getHeartbeatInterval());
    await(a.tick());
    assertThat(leaseLosses).hasValue(1);
    assertThat(a.leaseValid()).isTrue();
    assertThat(guard.getAsBoolean()).as("taken under the old lease").isFalse();
    assertThat(a.ownershipGuard()).isNull();
    assertThat(a.quarantineLeftMillis()).isEqualTo(ha.quarantineMillis() + 1);
    advance(ha.quarantineMillis(), a, false);
    assertThat(a.ownershipGuard()).isNotNull();
    assertThat(guard.getAsBoolean()).isFalse();
  }

  @Test
  void a_heartbeat_answered_later_than_an_interval_gains_no_lease() throws Exception {
    registry.holding = true;
    Membership a =
        new Membership(
            vertx,
            registry,
            ha,
            "cs-a",
            () -> record("cs-a", "normal", 0),
            clock.nanos(),
            leaseLosses::incrementAndGet);
    Future<Void> started = a.start(false);
    registry.awaitHeld(1);
    clock.advanceMillis(ha.getHeartbeatInterval() + 1);
    registry.release();
    await(started.otherwiseEmpty());
    assertThat(a.leaseValid()).isFalse();
    await(a.tick());
    assertThat(a.leaseValid()).isTrue();
    assertThat(a.inQuarantine()).isTrue();
  }

  @Test
  void a_stopped_instance_never_regains_its_lease_and_says_so_in_its_last_record()
      throws Exception {
    Membership a = membership("cs-a");
    registry.holding = true;
    Future<Void> tick = a.tick(); // a heartbeat in flight when the instance stops
    registry.awaitHeld(2);
    a.stop();
    registry.release();
    await(tick.otherwiseEmpty());
    assertThat(a.leaseValid()).isFalse();
    await(a.deregister());
    assertThat(await(registry.list()))
        .singleElement()
        .satisfies(r -> assertThat(r.stopped()).isTrue());
  }
}
