package dev.hachat.bench.chaos;

import dev.hachat.common.error.ChatException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.function.Supplier;

/** Calls again what an agent desk's client already retried within its own failover timeout. */
final class Retry {
  private Retry() {}

  /**
   * Repeats {@code call} after 200 ms while it fails with a retryable error (or no typed error at
   * all) and {@code deadline} (nanoTime) has not passed.
   */
  static <T> Future<T> untilDeadline(Vertx vertx, Supplier<Future<T>> call, long deadline) {
    return call.get()
        .recover(
            e -> {
              boolean retryable = !(e instanceof ChatException ce) || ce.code().retryable();
              if (!retryable || System.nanoTime() - deadline > 0) {
                return Future.failedFuture(e);
              }
              return vertx.timer(200).compose(t -> untilDeadline(vertx, call, deadline));
            });
  }
}
