package dev.hachat.interaction.leader;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.interaction.routing.ManualScheduler;
import dev.hachat.store.Lease;
import dev.hachat.store.StoreException;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.Leases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The election rules S1–S3 of docs/consistency.md on a hand-moved clock, over the in-memory leases
 * with a switch that makes the store unreachable or holds its answers back.
 */
class RouterLeaseTest {
  static final String NAME = "interaction-router";
  static final long I = 500;
  static final long T = 3_000;
  static final long L = T - 3 * I;

  final ManualScheduler clock = new ManualScheduler();
  final Leases shared = TranscriptStores.inMemoryLeases();

  /** One server's lease and what its listener heard. */
  final class Server implements RouterLease.Listener {
    final List<String> heard = new ArrayList<>();
    final SwitchedLeases store = new SwitchedLeases(shared); // this server's path to the store
    final RouterLease lease;

    Server(String holder) {
      lease = new RouterLease(store, NAME, holder, I, T, clock, Runnable::run, this);
    }

    @Override
    public void elected(long epoch) {
      heard.add("elected " + epoch);
    }

    @Override
    public void deposed(long epoch, String why) {
      heard.add("deposed " + epoch);
    }

    @Override
    public void observed(Lease lease) {}
  }

  @Test
  void the_first_server_takes_a_lease_nobody_holds_at_once() {
    Server a = new Server("a@h:1");
    a.lease.start();
    assertThat(a.heard).containsExactly("elected 1");
    assertThat(a.lease.leading()).isTrue();
    assertThat(a.lease.epoch()).isEqualTo(1);
  }

  @Test
  void a_second_server_waits_while_the_holder_renews() {
    Server a = new Server("a@h:1");
    Server b = new Server("b@h:2");
    a.lease.start();
    b.lease.start();
    clock.advance(10 * T);
    assertThat(a.lease.leading()).isTrue();
    assertThat(b.lease.leading()).isFalse();
    assertThat(b.heard).isEmpty();
    assertThat(b.lease.highestEpoch()).isEqualTo(1);
  }

  @Test
  void a_dead_holder_is_taken_over_within_the_timeout_plus_half_an_interval() {
    Server a = new Server("a@h:1");
    Server b = new Server("b@h:2");
    a.lease.start();
    b.lease.start();
    clock.advance(2 * I);
    a.lease.stopSilently(); // kill -9: no release
    long killed = clock.now();
    while (b.heard.isEmpty()) {
      clock.advance(10);
    }
    assertThat(clock.now() - killed).isLessThanOrEqualTo(T + I / 2);
    assertThat(b.heard).containsExactly("elected 2");
    assertThat(b.lease.epoch()).isEqualTo(2);
  }

  @Test
  void the_holder_stops_deciding_before_a_contender_may_acquire() {
    Server a = new Server("a@h:1");
    Server b = new Server("b@h:2");
    a.lease.start();
    b.lease.start();
    clock.advance(I);
    a.store.unreachable = true; // a's renews fail; b's reads too, then come back
    b.store.unreachable = true;
    clock.advance(L - 1);
    assertThat(a.lease.leading()).isTrue();
    clock.advance(I + 1);
    assertThat(a.lease.leading()).as("validity ran out").isFalse();
    assertThat(a.heard).containsExactly("elected 1"); // not deposed: it may renew again
    a.store.unreachable = false;
    b.store.unreachable = false;
    clock.advance(I);
    assertThat(a.lease.leading()).as("a renew that succeeds makes it valid again").isTrue();
    assertThat(b.heard).isEmpty();
  }

  @Test
  void a_holder_cut_off_until_taken_over_learns_it_and_stops() {
    Server a = new Server("a@h:1");
    Server b = new Server("b@h:2");
    a.lease.start();
    b.lease.start();
    a.store.unreachable = true; // a's calls fail, b's succeed
    clock.advance(T + 2 * I);
    assertThat(a.lease.leading()).isFalse();
    assertThat(b.heard).containsExactly("elected 2");
    a.store.unreachable = false;
    clock.advance(I);
    assertThat(a.heard).containsExactly("elected 1", "deposed 1");
    clock.advance(10 * T);
    assertThat(a.lease.leading()).isFalse();
    assertThat(b.lease.leading()).isTrue();
  }

  @Test
  void never_two_leading_at_once_through_cuts_and_pauses() {
    Server a = new Server("a@h:1");
    Server b = new Server("b@h:2");
    Server c = new Server("c@h:3");
    a.lease.start();
    b.lease.start();
    c.lease.start();
    Server[] all = {a, b, c};
    java.util.Random random = new java.util.Random(15);
    for (int step = 0; step < 5_000; step++) {
      if (step % 50 == 0) {
        for (Server s : all) {
          s.store.unreachable = random.nextInt(3) == 0; // cut for 50 steps of 37 ms, or not
        }
      }
      clock.advance(37);
      int leading =
          (a.lease.leading() ? 1 : 0) + (b.lease.leading() ? 1 : 0) + (c.lease.leading() ? 1 : 0);
      assertThat(leading).as("step %d", step).isLessThanOrEqualTo(1);
    }
    assertThat(b.lease.highestEpoch()).isGreaterThan(2);
  }

  @Test
  void a_slow_store_answer_is_awaited_and_calls_do_not_pile_up() {
    Server a = new Server("a@h:1");
    a.store.hold = "read";
    a.lease.start();
    clock.advance(5 * I);
    assertThat(a.store.held).hasSize(1);
    a.store.hold = null;
    a.store.release();
    assertThat(a.heard).containsExactly("elected 1");
  }

  @Test
  void an_acquire_whose_answer_was_lost_is_taken_again_without_waiting() {
    Server a = new Server("a@h:1");
    a.store.loseAcquireAnswers = 1; // the acquire succeeds in the store, the answer is lost
    a.lease.start();
    assertThat(a.heard).isEmpty();
    clock.advance(I);
    assertThat(a.heard).containsExactly("elected 2");
  }

  @Test
  void a_graceful_stop_releases_so_another_takes_over_at_its_next_read() {
    Server a = new Server("a@h:1");
    Server b = new Server("b@h:2");
    a.lease.start();
    b.lease.start();
    assertThat(a.lease.stop().succeeded()).isTrue();
    assertThat(a.heard).containsExactly("elected 1", "deposed 1");
    assertThat(a.lease.leading()).isFalse();
    clock.advance(I);
    assertThat(b.heard).containsExactly("elected 2");
  }

  @Test
  void a_stop_while_acquiring_gives_the_lease_back() {
    Server a = new Server("a@h:1");
    a.store.hold = "acquire";
    a.lease.start();
    assertThat(a.store.held).hasSize(1);
    Future<Void> stopped = a.lease.stop();
    assertThat(stopped.isComplete()).isFalse();
    a.store.hold = null;
    a.store.release();
    assertThat(stopped.succeeded()).isTrue();
    assertThat(shared.read(NAME).result().held()).as("given back").isFalse();
    assertThat(shared.read(NAME).result().epoch()).isEqualTo(1);
    assertThat(a.heard).as("never announced").isEmpty();
  }

  @Test
  void a_stop_whose_release_fails_still_completes() {
    Server a = new Server("a@h:1");
    a.lease.start();
    a.store.unreachable = true;
    assertThat(a.lease.stop().succeeded()).isTrue();
  }

  @Test
  void a_restarted_server_under_its_old_name_waits_like_any_contender() {
    Server a = new Server("a@h:1");
    a.lease.start();
    a.lease.stopSilently();
    Server again = new Server("a@h:1");
    again.lease.start();
    clock.advance(T - I);
    assertThat(again.heard).isEmpty();
    clock.advance(2 * I);
    assertThat(again.heard).containsExactly("elected 2");
  }

  @Test
  void rejects_a_timeout_shorter_than_four_intervals() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                new RouterLease(
                    shared, NAME, "a", 1_000, 3_999, clock, Runnable::run, new Server("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** The in-memory leases with faults: all unreachable, one holder cut off, answers held. */
  static final class SwitchedLeases implements Leases {
    final Leases inner;
    boolean unreachable;
    String hold; // the operation whose answers are held back until release(), or null
    int loseAcquireAnswers;
    final List<Runnable> held = new ArrayList<>();

    SwitchedLeases(Leases inner) {
      this.inner = inner;
    }

    void release() {
      List<Runnable> now = new ArrayList<>(held);
      held.clear();
      now.forEach(Runnable::run);
    }

    private <T> Future<T> through(String what, java.util.function.Supplier<Future<T>> op) {
      if (unreachable) {
        return Future.failedFuture(StoreException.unavailable("cut", null));
      }
      Future<T> f = op.get();
      if (what.equals("acquire") && loseAcquireAnswers > 0) {
        loseAcquireAnswers--;
        return Future.failedFuture(StoreException.unavailable("answer lost", null));
      }
      if (!what.equals(hold)) {
        return f;
      }
      Promise<T> later = Promise.promise();
      held.add(() -> f.onComplete(later));
      return later.future();
    }

    @Override
    public Future<Lease> read(String name) {
      return through("read", () -> inner.read(name));
    }

    @Override
    public Future<Lease> acquire(Lease expected, String holder) {
      return through("acquire", () -> inner.acquire(expected, holder));
    }

    @Override
    public Future<Lease> renew(String name, String holder, long epoch) {
      return through("renew", () -> inner.renew(name, holder, epoch));
    }

    @Override
    public Future<Void> release(String name, String holder, long epoch) {
      return through("release", () -> inner.release(name, holder, epoch));
    }
  }
}
