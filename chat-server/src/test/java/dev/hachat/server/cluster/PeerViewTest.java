package dev.hachat.server.cluster;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.testing.ManualClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The view of the others on its context: snapshots after each poll, hops from foreign threads. */
class PeerViewTest {
  private final Vertx vertx = Vertx.vertx();
  private final OwnContext context = OwnContext.create(vertx);
  private final HoldingRegistry registry = new HoldingRegistry();
  private final ManualClock clock = new ManualClock();
  private final HaOptions ha = new HaOptions(); // interval 500 ms, timeout 3000 ms
  private final PeerView view = new PeerView(context, registry, ha, "cs-b", clock.nanos());

  {
    registry.expected = context;
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private void beats(String id, long counter) throws Exception {
    await(
        registry.delegate.heartbeat(
            new InstanceRecord(id, "h:1", "h:2", "h:3", "normal", 0, 10, counter, 0, "test")));
  }

  @Test
  void a_poll_publishes_a_new_snapshot_and_leaves_the_old_one_as_it_was() throws Exception {
    beats("cs-a", 1);
    beats("cs-b", 1); // this instance's own record is not part of the view
    ViewSnapshot before = view.snapshot();
    long started = clock.nanoTime();
    await(view.poll());
    ViewSnapshot after = view.snapshot();

    assertThat(before.polled()).isFalse();
    assertThat(before.seen()).isEmpty();
    assertThat(before.fresh(started)).isFalse();
    assertThat(after.polled()).isTrue();
    assertThat(after.pollStartedNanos()).isEqualTo(started);
    assertThat(after.present()).extracting(InstanceRecord::instanceId).containsExactly("cs-a");
    assertThat(after.fresh(clock.nanoTime())).isTrue();
    assertThat(registry.offContext).as("polled from the view's context").hasValue(0);

    clock.advanceMillis(ha.viewFreshMillis() + 1);
    assertThat(after.fresh(clock.nanoTime())).isFalse();
    assertThat(view.deadSince("cs-a", clock.nanoTime())).as("no fresh view").isFalse();
  }

  @Test
  void a_first_question_about_an_instance_never_seen_is_recorded_on_the_context() throws Exception {
    await(view.poll());
    long asked = clock.nanoTime();
    assertThat(view.deadSince("cs-new", asked)).isFalse();
    Awaitility.await()
        .atMost(5, TimeUnit.SECONDS)
        .until(() -> view.snapshot().asked().containsKey("cs-new"));
    assertThat(view.snapshot().asked()).containsEntry("cs-new", asked);

    clock.advanceMillis(ha.getHeartbeatInterval());
    assertThat(view.deadSince("cs-new", clock.nanoTime())).isFalse();
    assertThat(view.snapshot().asked())
        .as("asked once, timed from then")
        .containsEntry("cs-new", asked);
  }

  @Test
  void callers_of_a_stale_view_share_one_extra_poll() throws Exception {
    beats("cs-a", 1);
    registry.holding = true;
    List<Future<Void>> waiting = List.of(view.freshView(), view.freshView(), view.freshView());
    registry.awaitHeld(1);
    registry.release();
    await(Future.all(waiting));
    assertThat(registry.lists).hasValue(1);
    assertThat(view.freshView().isComplete()).as("fresh now: answered at once").isTrue();
    assertThat(view.snapshot().record("cs-a")).isPresent();
  }
}
