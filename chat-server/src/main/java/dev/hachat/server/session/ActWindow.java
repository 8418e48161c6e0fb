package dev.hachat.server.session;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.Function;

/**
 * Applies an act to ids read a page at a time, at most {@code concurrency} acts at once: a sliding
 * window (an act that ends starts the next at once, a slow one holds up nothing else), and the next
 * page is read while the current one is acted on. Completes with how many acts answered true (a
 * failed act counts as false); a failed page read fails the whole once the acts running end.
 *
 * <p>Threading: every field is touched on {@code context} only; the acts' and the reads' Futures
 * may complete anywhere and hop back.
 */
final class ActWindow {
  /**
   * The next page after {@code after} ("" for the first): the ids to act on, and if more follow.
   */
  interface Pages {
    Future<Page> after(String after);
  }

  /** Ids to act on; {@code last} is where the next read starts, null if none follows. */
  record Page(List<String> ids, String last) {}

  private final Context context;
  private final int concurrency;
  private final Function<String, Future<Boolean>> act;
  private final Pages pages;
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final Promise<Integer> done = Promise.promise();
  private String next = "";
  private boolean reading;
  private int running;
  private int answeredTrue;
  private Throwable failure;

  private ActWindow(
      Context context, int concurrency, Function<String, Future<Boolean>> act, Pages pages) {
    this.context = context;
    this.concurrency = Math.max(1, concurrency);
    this.act = act;
    this.pages = pages;
  }

  /** Acts on every id {@code pages} yields. */
  static Future<Integer> run(
      Context context, int concurrency, Pages pages, Function<String, Future<Boolean>> act) {
    ActWindow w = new ActWindow(context, concurrency, act, pages);
    context.runOnContext(v -> w.pump());
    return w.done.future();
  }

  /** Acts on {@code ids}. */
  static Future<Integer> run(
      Context context, int concurrency, List<String> ids, Function<String, Future<Boolean>> act) {
    return run(context, concurrency, after -> Future.succeededFuture(new Page(ids, null)), act);
  }

  private void pump() {
    while (failure == null && running < concurrency && !queue.isEmpty()) {
      String id = queue.poll();
      running++;
      safely(() -> act.apply(id))
          .onComplete(
              ar ->
                  context.runOnContext(
                      v -> {
                        running--;
                        if (ar.succeeded() && Boolean.TRUE.equals(ar.result())) {
                          answeredTrue++;
                        }
                        pump();
                      }));
    }
    if (failure == null && next != null && !reading && queue.size() < 2 * concurrency) {
      read();
    }
    if (running == 0 && !reading && (failure != null || (next == null && queue.isEmpty()))) {
      if (failure != null) {
        done.tryFail(failure);
      } else {
        done.tryComplete(answeredTrue);
      }
    }
  }

  private void read() {
    reading = true;
    String after = next;
    safely(() -> pages.after(after))
        .onComplete(
            ar ->
                context.runOnContext(
                    v -> {
                      reading = false;
                      if (ar.failed()) {
                        failure = ar.cause();
                      } else {
                        queue.addAll(ar.result().ids());
                        next = ar.result().last();
                      }
                      pump();
                    }));
  }

  /** {@code call}'s Future, or a failed one if it threw. */
  private static <T> Future<T> safely(java.util.function.Supplier<Future<T>> call) {
    try {
      return call.get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
