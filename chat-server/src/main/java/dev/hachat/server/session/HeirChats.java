package dev.hachat.server.session;

import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Context;
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
 * beyond its collaborators; each walk keeps its own on the context).
 */
final class HeirChats {
  /** Chat ids read from the store per request. */
  static final int PAGE = 100;

  private final ChatEngine engine;
  private final TranscriptStore store;
  private final Survivors survivors;
  private final String self;
  private final Context context;

  /** Acting from {@code context} (the caller's own: the pass's). */
  HeirChats(Context context, ChatEngine engine, TranscriptStore store, Survivors survivors) {
    this.context = context;
    this.engine = engine;
    this.store = store;
    this.survivors = survivors;
    this.self = engine.instanceId();
  }

  /**
   * Applies {@code act} to each chat of {@code owner} this instance is the heir of, at most {@code
   * concurrency} at once ({@link ActWindow}, the next page read meanwhile); completes with how many
   * acts answered true. A failed act counts as false (the act reports its own failures); a failed
   * page read fails the whole.
   */
  Future<Integer> forEach(String owner, int concurrency, Function<String, Future<Boolean>> act) {
    return ActWindow.run(context, concurrency, after -> page(owner, after), act);
  }

  private Future<ActWindow.Page> page(String owner, String after) {
    return store
        .openSessionsOf(owner, after, PAGE)
        .map(
            ids -> {
              List<String> mine = new ArrayList<>();
              for (String id : ids) {
                Optional<InstanceRecord> heir = survivors.heirOf(id, owner);
                boolean isHeir = heir.isEmpty() || heir.get().instanceId().equals(self);
                if (isHeir && !engine.holds(id)) {
                  mine.add(id);
                }
              }
              return new ActWindow.Page(mine, ids.size() < PAGE ? null : ids.get(ids.size() - 1));
            });
  }

  /**
   * Applies {@code act} to {@code ids}, at most {@code concurrency} at once; completes with how
   * many answered true (a failed act counts as false).
   */
  Future<Integer> inWindow(
      List<String> ids, int concurrency, Function<String, Future<Boolean>> act) {
    return ActWindow.run(context, concurrency, ids, act);
  }
}
