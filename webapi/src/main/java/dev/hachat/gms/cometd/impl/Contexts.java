package dev.hachat.gms.cometd.impl;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.cometd.bayeux.Promise;

/** The two bridges between CometD's threads and callbacks and Vert.x contexts and futures. */
final class Contexts {

  private Contexts() {}

  /** Runs {@code task} on {@code context}: now if already there, else as its next task. */
  static void run(Context context, Runnable task) {
    if (Vertx.currentContext() == context) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /** Completes CometD's {@code promise} as {@code future} completes. */
  static void complete(Future<?> future, Promise<Void> promise) {
    future.onComplete(
        ar -> {
          if (ar.succeeded()) {
            promise.succeed(null);
          } else {
            promise.fail(ar.cause());
          }
        });
  }
}
