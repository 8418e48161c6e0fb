package dev.hachat.store;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.store.spi.Leases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The behaviour every {@link Leases} backend must have: compare-and-set acquire, renew and release,
 * epochs that only grow, and one winner among concurrent acquirers. A backend's test extends this
 * class and implements {@link #createLeases}; nothing else may be overridden, so every backend
 * passes the same tests. Each test uses a lease name of its own.
 */
@ExtendWith(VertxExtension.class)
public abstract class LeasesContract {
  /** How long {@link #createLeases} may take to connect and create the schema. */
  protected static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  private static final int ROUNDS = 20;
  private static final int CONTENDERS = 6;

  protected Leases leases;
  private String name;

  /** Returns the leases of a store (empty, or at least without the names these tests use). */
  protected abstract Leases createLeases(Vertx vertx) throws Exception;

  /** Releases what {@link #createLeases} opened. */
  protected abstract void closeLeases() throws Exception;

  @BeforeEach
  final void setUpLeases(Vertx vertx) throws Exception {
    leases = createLeases(vertx); // a Vertx per test, closed after it by VertxExtension
    name = "router-" + UUID.randomUUID();
  }

  @AfterEach
  final void tearDownLeases() throws Exception {
    closeLeases();
  }

  private static void assertConflict(ThrowingCallable call, Lease current) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(StoreErrorKind.CONFLICT);
              assertThat(e.currentLease()).isEqualTo(current);
            });
  }

  private Lease read() throws Exception {
    return await(leases.read(name));
  }

  @Test
  void a_lease_never_acquired_reads_as_epoch_0_held_by_nobody() throws Exception {
    Lease absent = read();
    assertThat(absent).isEqualTo(new Lease(name, Lease.NOBODY, 0, 0));
    assertThat(absent.held()).isFalse();
  }

  @Test
  void the_first_acquire_takes_epoch_1_with_beat_0() throws Exception {
    Lease a = await(leases.acquire(Lease.absent(name), "ixs-a"));
    assertThat(a).isEqualTo(new Lease(name, "ixs-a", 1, 0));
    assertThat(a.heldBy("ixs-a", 1)).isTrue();
    assertThat(read()).isEqualTo(a);
  }

  @Test
  void an_acquire_with_a_stale_epoch_conflicts_with_the_current_lease() throws Exception {
    Lease a = await(leases.acquire(Lease.absent(name), "ixs-a"));
    Lease b = await(leases.acquire(a, "ixs-b"));

    assertConflict(() -> await(leases.acquire(Lease.absent(name), "ixs-c")), b);
    assertConflict(() -> await(leases.acquire(a, "ixs-c")), b);
    assertConflict(() -> await(leases.acquire(new Lease(name, "ixs-b", 3, 0), "ixs-c")), b);
    assertThat(read()).isEqualTo(b);
  }

  @Test
  void an_acquire_conflicts_when_the_holder_renewed_since_it_was_read() throws Exception {
    Lease watched = await(leases.acquire(Lease.absent(name), "ixs-a"));
    Lease renewed = await(leases.renew(name, "ixs-a", 1)); // a beat the contender did not see

    assertConflict(() -> await(leases.acquire(watched, "ixs-b")), renewed);
    assertThat(read()).isEqualTo(renewed);
    assertThat(await(leases.acquire(renewed, "ixs-b"))).isEqualTo(new Lease(name, "ixs-b", 2, 0));
  }

  @Test
  void renew_by_the_holder_raises_beat_by_one_each_time() throws Exception {
    await(leases.acquire(Lease.absent(name), "ixs-a"));
    for (long beat = 1; beat <= 3; beat++) {
      assertThat(await(leases.renew(name, "ixs-a", 1)))
          .isEqualTo(new Lease(name, "ixs-a", 1, beat));
    }
    assertThat(read()).isEqualTo(new Lease(name, "ixs-a", 1, 3));
  }

  @Test
  void a_former_holder_cannot_renew_or_release_after_a_takeover() throws Exception {
    await(leases.acquire(Lease.absent(name), "ixs-a"));
    Lease watched = await(leases.renew(name, "ixs-a", 1));
    Lease b = await(leases.acquire(watched, "ixs-b")); // ixs-a's beat stopped, say
    assertThat(b).isEqualTo(new Lease(name, "ixs-b", 2, 0));

    assertConflict(() -> await(leases.renew(name, "ixs-a", 1)), b);
    assertConflict(() -> await(leases.renew(name, "ixs-a", 2)), b); // the epoch is not enough
    assertConflict(() -> await(leases.release(name, "ixs-a", 1)), b);
    assertThat(await(leases.renew(name, "ixs-b", 2))).isEqualTo(new Lease(name, "ixs-b", 2, 1));
  }

  @Test
  void nothing_can_be_renewed_or_released_before_the_first_acquire() throws Exception {
    Lease absent = Lease.absent(name);
    assertConflict(() -> await(leases.renew(name, "ixs-a", 0)), absent);
    assertConflict(() -> await(leases.renew(name, "ixs-a", 1)), absent);
    assertConflict(() -> await(leases.release(name, "ixs-a", 1)), absent);
    assertThat(read()).isEqualTo(absent);
  }

  @Test
  void release_keeps_epoch_and_beat_and_another_may_acquire_at_once() throws Exception {
    await(leases.acquire(Lease.absent(name), "ixs-a"));
    Lease watched = await(leases.renew(name, "ixs-a", 1));
    await(leases.release(name, "ixs-a", 1));
    Lease released = new Lease(name, Lease.NOBODY, 1, 1);
    assertThat(read()).isEqualTo(released);
    assertThat(read().held()).isFalse();

    assertConflict(() -> await(leases.renew(name, "ixs-a", 1)), released);
    assertConflict(() -> await(leases.release(name, "ixs-a", 1)), released); // not held any more
    // A contender that read the lease before the release takes it with what it read.
    assertThat(await(leases.acquire(watched, "ixs-b"))).isEqualTo(new Lease(name, "ixs-b", 2, 0));
  }

  @Test
  void the_holder_acquiring_again_takes_a_new_epoch_and_fences_its_old_one() throws Exception {
    Lease first = await(leases.acquire(Lease.absent(name), "ixs-a"));
    Lease again = await(leases.acquire(first, "ixs-a")); // its first answer was lost, say
    assertThat(again).isEqualTo(new Lease(name, "ixs-a", 2, 0));
    assertConflict(() -> await(leases.renew(name, "ixs-a", 1)), again);
  }

  @Test
  void an_empty_name_or_holder_a_missing_expectation_or_a_negative_epoch_is_invalid()
      throws Exception {
    List<ThrowingCallable> calls =
        List.of(
            () -> await(leases.read("")),
            () -> await(leases.acquire(Lease.absent(""), "ixs-a")),
            () -> await(leases.acquire(Lease.absent(name), "")),
            () -> await(leases.acquire(null, "ixs-a")),
            () -> await(leases.renew("", "ixs-a", 1)),
            () -> await(leases.renew(name, "", 0)), // would match a released lease otherwise
            () -> await(leases.renew(name, "ixs-a", -1)),
            () -> await(leases.release("", "ixs-a", 1)),
            () -> await(leases.release(name, "", 0)),
            () -> await(leases.release(name, "ixs-a", -1)));
    for (ThrowingCallable call : calls) {
      assertThatThrownBy(call)
          .isInstanceOfSatisfying(
              StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.INVALID));
    }
    assertThat(read()).isEqualTo(Lease.absent(name));
  }

  @Test
  void epochs_strictly_increase_across_takeovers_restarts_and_releases() throws Exception {
    List<Long> epochs = new ArrayList<>();
    Lease l = await(leases.acquire(Lease.absent(name), "ixs-a"));
    epochs.add(l.epoch());
    l = await(leases.acquire(await(leases.renew(name, "ixs-a", l.epoch())), "ixs-b")); // takeover
    epochs.add(l.epoch());
    await(leases.release(name, "ixs-b", l.epoch()));
    l = await(leases.acquire(read(), "ixs-a")); // after a graceful stop
    epochs.add(l.epoch());
    l = await(leases.acquire(l, "ixs-a")); // acquired again by its holder
    epochs.add(l.epoch());
    assertThat(epochs).containsExactly(1L, 2L, 3L, 4L);
    assertThat(read()).isEqualTo(new Lease(name, "ixs-a", 4, 0));
  }

  /**
   * Round after round, {@value #CONTENDERS} threads acquire from the same lease at once. A call
   * that failed {@link StoreErrorKind#UNAVAILABLE} (a contended LWT timing out) may or may not have
   * taken effect; a round without one has exactly one winner, and no round has two.
   */
  @Test
  void concurrent_acquires_of_one_lease_have_exactly_one_winner_round_after_round()
      throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(CONTENDERS);
    try {
      Lease expected = Lease.absent(name);
      int won = 0;
      for (int round = 0; round < ROUNDS; round++) {
        CyclicBarrier start = new CyclicBarrier(CONTENDERS);
        List<java.util.concurrent.Future<Future<Lease>>> sent = new ArrayList<>();
        for (int c = 0; c < CONTENDERS; c++) {
          String holder = "ixs-" + c;
          Lease watched = expected;
          sent.add(
              threads.submit(
                  () -> {
                    start.await();
                    return leases.acquire(watched, holder);
                  }));
        }
        List<Lease> winners = new ArrayList<>();
        boolean unknown = false;
        for (java.util.concurrent.Future<Future<Lease>> s : sent) {
          try {
            winners.add(await(s.get()));
          } catch (StoreException e) {
            if (e.kind() == StoreErrorKind.UNAVAILABLE) {
              unknown = true;
              continue;
            }
            assertThat(e.kind()).isEqualTo(StoreErrorKind.CONFLICT);
            assertThat(e.currentLease().epoch()).isEqualTo(expected.epoch() + 1);
          }
        }
        Lease after = read();
        assertThat(winners).as("winners of round %d", round).hasSizeLessThanOrEqualTo(1);
        if (!unknown) {
          assertThat(winners).as("winners of round %d", round).hasSize(1);
        }
        if (!winners.isEmpty()) {
          assertThat(after).isEqualTo(winners.get(0));
          won++;
        }
        assertThat(after.epoch()).isBetween(expected.epoch(), expected.epoch() + 1);
        if (after.epoch() == expected.epoch()) {
          assertThat(after).as("unchanged when nobody won").isEqualTo(expected);
        }
        expected = after;
      }
      assertThat(won).as("rounds with a winner").isGreaterThan(ROUNDS / 2);
    } finally {
      threads.shutdownNow();
    }
  }
}
