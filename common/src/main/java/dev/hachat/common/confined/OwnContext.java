package dev.hachat.common.confined;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.internal.VertxInternal;
import java.util.function.Supplier;

/**
 * An event-loop context of one component's own, created with the component (synchronously, so the
 * component's constructor stays plain): the component touches its mutable state only on this
 * context's thread and publishes an immutable snapshot for everybody else.
 *
 * <ul>
 *   <li>{@link #call} and {@link #run} hop onto the context (or run at once when already on it);
 *   <li>{@link #back} brings the outcome of a Future completed elsewhere (a store or registry call,
 *       a session loop) back onto the context before the component looks at it;
 *   <li>{@link #setTimer} and {@link #setPeriodic} fire on the context;
 *   <li>{@link #isCurrent} is what the component asserts where it mutates state.
 * </ul>
 *
 * <p>Vert.x offers no public call that creates a context without deploying a verticle (which
 * completes later); {@code VertxInternal.createEventLoopContext()}, exported by vertx-core for
 * integrations, does it at once and is used here only. Thread-safe.
 */
public final class OwnContext {
  private final ContextInternal context;

  private OwnContext(ContextInternal context) {
    this.context = context;
  }

  /** A new event-loop context on {@code vertx} (on the next event loop of its group). */
  public static OwnContext create(Vertx vertx) {
    return new OwnContext(((VertxInternal) vertx).createEventLoopContext());
  }

  /** True on this context's thread. */
  public boolean isCurrent() {
    return context.inThread();
  }

  /**
   * Runs {@code op} on this context and completes with its outcome; a runtime exception it throws
   * becomes a failure. Runs at once when already on the context.
   */
  public <T> Future<T> call(Supplier<Future<T>> op) {
    if (isCurrent()) {
      return attempt(op);
    }
    Promise<T> result = Promise.promise();
    context.runOnContext(v -> attempt(op).onComplete(result));
    return result.future();
  }

  /** Runs {@code task} on this context: at once when already on it, else queued (in order). */
  public void run(Runnable task) {
    if (isCurrent()) {
      task.run();
    } else {
      context.runOnContext(v -> task.run());
    }
  }

  /** {@code f}'s outcome, delivered on this context (its listeners run there). */
  public <T> Future<T> back(Future<T> f) {
    Promise<T> onContext = Promise.promise();
    f.onComplete(ar -> run(() -> onContext.handle(ar)));
    return onContext.future();
  }

  /** A one-shot timer whose handler runs on this context; cancel with {@code Vertx.cancelTimer}. */
  public long setTimer(long delayMillis, Handler<Long> handler) {
    return context.setTimer(delayMillis, handler);
  }

  /** A periodic timer whose handler runs on this context. */
  public long setPeriodic(long periodMillis, Handler<Long> handler) {
    return context.setPeriodic(periodMillis, handler);
  }

  /** Cancels a timer of this context; false if it had fired (one-shot) or was unknown. */
  public boolean cancelTimer(long id) {
    return context.owner().cancelTimer(id);
  }

  private static <T> Future<T> attempt(Supplier<Future<T>> op) {
    try {
      return op.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
