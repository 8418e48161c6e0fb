package dev.hachat.common.confined;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The confinement primitive: hops, completions brought back, order, timers. */
class OwnContextTest {
  private final Vertx vertx = Vertx.vertx();
  private final OwnContext context = OwnContext.create(vertx);

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  @Test
  void a_call_from_a_foreign_thread_hops_onto_the_context() throws Exception {
    assertThat(context.isCurrent()).isFalse();
    Thread ran = await(context.call(() -> Future.succeededFuture(Thread.currentThread())));
    assertThat(ran).isNotSameAs(Thread.currentThread());
    assertThat(await(context.call(() -> Future.succeededFuture(context.isCurrent())))).isTrue();
    // On the context, a call runs at once.
    boolean inline =
        await(
            context.call(
                () -> {
                  boolean[] ranAtOnce = {false};
                  context.call(
                      () -> {
                        ranAtOnce[0] = true;
                        return Future.succeededFuture();
                      });
                  return Future.succeededFuture(ranAtOnce[0]);
                }));
    assertThat(inline).isTrue();
  }

  @Test
  void a_runtime_exception_in_a_call_is_its_failure() {
    assertThatThrownBy(
            () ->
                await(
                    context.call(
                        () -> {
                          throw new IllegalStateException("boom");
                        })))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("boom");
  }

  @Test
  void a_future_completed_elsewhere_is_brought_back_onto_the_context() throws Exception {
    Promise<String> elsewhere = Promise.promise();
    Future<Boolean> onContext =
        context.back(elsewhere.future()).map(v -> context.isCurrent() && v.equals("done"));
    elsewhere.complete("done"); // on the test thread
    assertThat(await(onContext)).isTrue();
  }

  @Test
  void tasks_from_one_thread_run_in_order_and_timers_fire_on_the_context() throws Exception {
    List<Integer> order = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 100; i++) {
      int n = i;
      context.run(() -> order.add(n));
    }
    Promise<Boolean> fired = Promise.promise();
    context.run(() -> context.setTimer(1, t -> fired.complete(context.isCurrent())));
    assertThat(await(fired.future())).isTrue();
    assertThat(order).hasSize(100).isSorted();
  }
}
