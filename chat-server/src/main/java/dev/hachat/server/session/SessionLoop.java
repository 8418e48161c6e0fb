package dev.hachat.server.session;

import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * An event-loop context with the one thread it runs on, so confined state can check that it is on
 * its loop and skip the hop when it already is.
 */
record SessionLoop(Context context, Thread thread) {

  /** Deploys {@code count} event-loop contexts and captures each with its thread. */
  static Future<List<SessionLoop>> deploy(Vertx vertx, int count) {
    List<SessionLoop> started = new CopyOnWriteArrayList<>();
    return vertx
        .deployVerticle(
            () ->
                new VerticleBase() {
                  @Override
                  public Future<?> start() {
                    started.add(new SessionLoop(context, Thread.currentThread()));
                    return Future.succeededFuture();
                  }
                },
            new DeploymentOptions().setInstances(count))
        .map(id -> List.copyOf(started));
  }

  /** The loop a session id is pinned to. */
  static SessionLoop pick(List<SessionLoop> loops, String id) {
    if (loops.isEmpty()) {
      throw new IllegalStateException("engine not started");
    }
    return loops.get(Math.floorMod(id.hashCode(), loops.size()));
  }

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
