package dev.hachat.server.session;

import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The open chats of a dead owner that this instance is the heir of ({@link Survivors#heirOf}: the
 * choice the restore path and the web API servers make, so exactly one live instance acts on each
 * chat), read a page at a time from the store ({@link TranscriptStore#openSessionsOf}) and acted on
 * a bounded number at a time. Chats this instance already holds are skipped. Thread-safe (no state
 * beyond its collaborators).
 */
final class HeirChats {
  /** Chat ids read from the store per request. */
  static final int PAGE = 100;

  private final ChatEngine engine;
  private final TranscriptStore store;
  private final Survivors survivors;
  private final String self;

  HeirChats(ChatEngine engine, TranscriptStore store, Survivors survivors) {
    this.engine = engine;
    this.store = store;
    this.survivors = survivors;
    this.self = engine.instanceId();
  }

  /**
   * Applies {@code act} to each chat of {@code owner} this instance is the heir of, at most {@code
   * concurrency} at once; completes with how many acts answered true. A failed act counts as false
   * (the act reports its own failures); a failed page read fails the whole.
   */
  Future<Integer> forEach(String owner, int concurrency, Function<String, Future<Boolean>> act) {
    return page(owner, "", 0, concurrency, act);
  }

  private Future<Integer> page(
      String owner,
      String after,
      int done,
      int concurrency,
      Function<String, Future<Boolean>> act) {
    return store
        .openSessionsOf(owner, after, PAGE)
        .compose(
            ids -> {
              List<String> mine = new ArrayList<>();
              for (String id : ids) {
                Optional<InstanceRecord> heir = survivors.heirOf(id, owner);
                boolean isHeir = heir.isEmpty() || heir.get().instanceId().equals(self);
                if (isHeir && !engine.holds(id)) {
                  mine.add(id);
                }
              }
              return inBatches(mine, 0, concurrency, act)
                  .compose(
                      n ->
                          ids.size() < PAGE
                              ? Future.succeededFuture(done + n)
                              : page(owner, ids.get(ids.size() - 1), done + n, concurrency, act));
            });
  }

  /**
   * Applies {@code act} to {@code ids} from {@code from} on, at most {@code concurrency} at once;
   * completes with how many answered true (a failed act counts as false).
   */
  static Future<Integer> inBatches(
      List<String> ids, int from, int concurrency, Function<String, Future<Boolean>> act) {
    if (from >= ids.size()) {
      return Future.succeededFuture(0);
    }
    int to = Math.min(ids.size(), from + concurrency);
    List<Future<Boolean>> batch = new ArrayList<>();
    for (String id : ids.subList(from, to)) {
      batch.add(act.apply(id));
    }
    return Future.join(batch)
        .transform(
            ar -> {
              int n = 0;
              for (Future<Boolean> f : batch) {
                n += f.succeeded() && f.result() ? 1 : 0;
              }
              int here = n;
              return inBatches(ids, to, concurrency, act).map(rest -> here + rest);
            });
  }
}
