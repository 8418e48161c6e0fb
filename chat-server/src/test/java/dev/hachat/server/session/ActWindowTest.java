package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ActWindow}: a sliding window of acts over pages read ahead. */
class ActWindowTest {
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  /** Pages of {@code size} ids out of {@code total}. */
  private static ActWindow.Pages pages(int total, int size, AtomicInteger reads) {
    return after -> {
      reads.incrementAndGet();
      int from = after.isEmpty() ? 0 : Integer.parseInt(after) + 1;
      List<String> ids = new ArrayList<>();
      for (int i = from; i < Math.min(total, from + size); i++) {
        ids.add(String.valueOf(i));
      }
      String last = from + size >= total ? null : ids.get(ids.size() - 1);
      return Future.succeededFuture(new ActWindow.Page(ids, last));
    };
  }

  @Test
  void never_more_than_the_concurrency_at_once_and_a_slow_act_holds_up_no_other() throws Exception {
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    ConcurrentLinkedQueue<Promise<Boolean>> slow = new ConcurrentLinkedQueue<>();
    AtomicInteger reads = new AtomicInteger();
    AtomicInteger fastDone = new AtomicInteger();
    Promise<Void> othersDone = Promise.promise();
    Future<Integer> done =
        ActWindow.run(
            context,
            4,
            pages(250, 100, reads),
            id -> {
              int now = running.incrementAndGet();
              most.accumulateAndGet(now, Math::max);
              if (id.equals("0")) {
                Promise<Boolean> p = Promise.promise(); // the first one hangs until the end
                slow.add(p);
                return p.future().onComplete(ar -> running.decrementAndGet());
              }
              return vertx
                  .timer(1)
                  .map(t -> !id.equals("7")) // one answers false
                  .onComplete(
                      ar -> {
                        running.decrementAndGet();
                        if (fastDone.incrementAndGet() == 249) {
                          othersDone.complete();
                        }
                      });
            });
    // The other 249 are done while the first still hangs: the window slid past it.
    await(othersDone.future());
    assertThat(running.get()).isEqualTo(1);
    assertThat(done.isComplete()).isFalse();
    slow.poll().complete(true);
    assertThat(await(done)).isEqualTo(249);
    assertThat(most.get()).isLessThanOrEqualTo(4);
    assertThat(reads.get()).isEqualTo(3);
  }

  @Test
  void a_failed_act_counts_as_false_and_a_failed_read_fails_the_whole() throws Exception {
    assertThat(
            await(
                ActWindow.run(
                    context,
                    2,
                    List.of("a", "b", "c"),
                    id ->
                        id.equals("b")
                            ? Future.failedFuture(new IllegalStateException("b"))
                            : Future.succeededFuture(true))))
        .isEqualTo(2);
    Future<Integer> failed =
        ActWindow.run(
            context,
            2,
            after ->
                after.isEmpty()
                    ? Future.succeededFuture(new ActWindow.Page(List.of("x"), "x"))
                    : Future.failedFuture(new IllegalStateException("page")),
            id -> Future.succeededFuture(true));
    assertThatThrownBy(() -> await(failed)).hasMessageContaining("page");
    assertThat(await(ActWindow.run(context, 3, List.of(), id -> Future.succeededFuture(true))))
        .isZero();
  }
}
