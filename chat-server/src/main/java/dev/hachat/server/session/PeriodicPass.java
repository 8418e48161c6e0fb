package dev.hachat.server.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/**
 * A pass run on one context of its own, every interval and on demand, never two at once: a pass
 * asked for while one runs gets that one's result. The pass itself runs on that context, so the
 * state it keeps there needs no lock.
 */
final class PeriodicPass {
  private final Vertx vertx;
  private final Context context;
  private final Supplier<Future<Integer>> pass;
  private Future<Integer> running;
  private long timer = -1;

  /** {@code pass} runs on {@link #context()}; its Future may complete anywhere. */
  PeriodicPass(Vertx vertx, Supplier<Future<Integer>> pass) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.pass = pass;
  }

  Context context() {
    return context;
  }

  /** Runs a pass every {@code intervalMs} from now on. */
  void start(long intervalMs) {
    context.runOnContext(v -> timer = vertx.setPeriodic(intervalMs, t -> run()));
  }

  void stop() {
    context.runOnContext(
        v -> {
          if (timer >= 0) {
            vertx.cancelTimer(timer);
          }
        });
  }

  /** One pass now, or the one running. */
  Future<Integer> run() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(
        v -> {
          if (running == null) {
            running = pass.get().onComplete(ar -> context.runOnContext(x -> running = null));
          }
          running.onComplete(p);
        });
    return p.future();
  }
}
