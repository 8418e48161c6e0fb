package dev.hachat.server.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.function.Supplier;

/**
 * An event-loop context with the one thread it runs on, so confined state can check that it is on
 * its loop and skip the hop when it already is.
 */
record SessionLoop(Context context, Thread thread) {

  boolean isCurrent() {
    return Thread.currentThread() == thread;
  }

  /** Runs {@code op} on this loop and returns its result; typed exceptions become failures. */
  <T> Future<T> call(Supplier<Future<T>> op) {
    if (isCurrent()) {
      return safely(op);
    }
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> safely(op).onComplete(promise));
    return promise.future();
  }

  void run(Runnable task) {
    if (isCurrent()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  private static <T> Future<T> safely(Supplier<Future<T>> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
