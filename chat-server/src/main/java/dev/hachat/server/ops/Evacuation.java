package dev.hachat.server.ops;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.HandOverOutcome;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One evacuation: hands every open chat to the other instances ({@link ChatEngine#handOver}), in
 * batches, and asks the chosen survivor to adopt each one at once. Chats that arrived meanwhile
 * (restores) get another pass, up to {@link #PASSES}.
 *
 * <p>Threading: runs on the context of its {@link Operations}; each hand-over's outcome is brought
 * back there before it is counted, so the counts need no lock.
 */
final class Evacuation {
  private static final Logger LOG = LoggerFactory.getLogger(Evacuation.class);

  /** Chats handed over at once; the next batch starts when one is done. */
  private static final int BATCH = 64;

  /** Evacuation passes at most (chats that arrived meanwhile, e.g. restores, get another one). */
  private static final int PASSES = 3;

  private final OwnContext context;
  private final ChatEngine engine;
  private final SurvivorClient survivors;
  private final int[] counts = new int[HandOverOutcome.values().length];

  Evacuation(OwnContext context, ChatEngine engine, SurvivorClient survivors) {
    this.context = context;
    this.engine = engine;
    this.survivors = survivors;
  }

  /** Runs it; completes on the context with the report. Call once, on the context. */
  Future<EvacuationReport> run() {
    assert context.isCurrent() : "evacuation off the operations' context";
    long t0 = System.nanoTime();
    return pass(PASSES)
        .map(
            v ->
                new EvacuationReport(
                    count(HandOverOutcome.HANDED_OVER),
                    count(HandOverOutcome.FAILED),
                    engine.activeSessions(),
                    (System.nanoTime() - t0) / 1_000_000));
  }

  private int count(HandOverOutcome o) {
    return counts[o.ordinal()];
  }

  /** One pass over the open chats, in batches; another pass if chats are left and moved. */
  private Future<Void> pass(int passesLeft) {
    List<String> ids = engine.liveSessionIds();
    if (ids.isEmpty() || passesLeft == 0) {
      return Future.succeededFuture();
    }
    int before = count(HandOverOutcome.HANDED_OVER);
    return batches(ids, 0)
        .compose(
            v ->
                count(HandOverOutcome.HANDED_OVER) > before
                    ? pass(passesLeft - 1)
                    : Future.succeededFuture());
  }

  private Future<Void> batches(List<String> ids, int from) {
    if (from >= ids.size()) {
      return Future.succeededFuture();
    }
    List<Future<HandOverOutcome>> batch = new ArrayList<>();
    for (String id : ids.subList(from, Math.min(ids.size(), from + BATCH))) {
      Future<HandOverOutcome> moved =
          engine
              .handOver(id)
              .compose(o -> o == HandOverOutcome.HANDED_OVER ? adopt(id).map(o) : succeeded(o));
      batch.add(
          context
              .back(moved)
              .onSuccess(
                  o -> {
                    assert context.isCurrent() : "counted off the operations' context";
                    counts[o.ordinal()]++;
                  }));
    }
    return Future.join(batch).transform(ar -> batches(ids, from + BATCH));
  }

  /** Asks the chat's survivor to claim it now; never fails (its clients would claim it anyway). */
  private Future<Void> adopt(String chatId) {
    return engine
        .survivorFor(chatId)
        .map(
            r ->
                survivors
                    .adopt(r.admin(), List.of(chatId))
                    .onFailure(
                        e ->
                            LOG.debug(
                                "[{}|{}] adoption by {} failed: {}",
                                engine.instanceId(),
                                chatId,
                                r.instanceId(),
                                e.toString()))
                    .<Void>mapEmpty()
                    .otherwiseEmpty())
        .orElse(Future.succeededFuture());
  }

  private static <T> Future<T> succeeded(T value) {
    return Future.succeededFuture(value);
  }
}
