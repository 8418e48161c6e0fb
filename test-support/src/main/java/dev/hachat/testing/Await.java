package dev.hachat.testing;

import io.vertx.core.Future;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocks a test thread (never an event loop) until a Future completes: its result, or its failure
 * rethrown as it is (unwrapped), or a {@link TimeoutException} after the deadline.
 */
public final class Await {
  /** How long {@link #await(Future)} waits. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);

  private Await() {}

  /** The result of {@code f} within {@link #DEFAULT_TIMEOUT}. */
  public static <T> T await(Future<T> f) throws Exception {
    return await(f, DEFAULT_TIMEOUT);
  }

  /** The result of {@code f} within {@code timeout}. */
  public static <T> T await(Future<T> f, Duration timeout) throws Exception {
    try {
      return f.toCompletionStage()
          .toCompletableFuture()
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }

  /**
   * As {@link #await(Future)}, for a lambda or a field initialiser: a failure or a timeout becomes
   * an {@link AssertionError}.
   */
  public static <T> T join(Future<T> f) {
    try {
      return await(f);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
