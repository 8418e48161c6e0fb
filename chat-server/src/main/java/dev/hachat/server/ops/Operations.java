package dev.hachat.server.ops;

import dev.hachat.server.config.OpsOptions;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.EngineState;
import dev.hachat.server.session.HandOverOutcome;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's procedures on this instance (docs/operations.md):
 *
 * <ul>
 *   <li><b>disable / enable</b>: no new chats / new chats again (enable also ends a drain);
 *   <li><b>drain</b>: disable, then wait for the open chats to end; once an optional deadline
 *       passes, evacuate the rest. Progress: sessions left, oldest session age, deadline;
 *   <li><b>evacuate</b>: hand every open chat to the other instances now ({@link
 *       ChatEngine#handOver}), and ask the chosen survivor to adopt each one at once;
 *   <li><b>prepare stop</b> (SIGTERM): drain up to {@code ops.stop-drain-time}, evacuate the rest.
 * </ul>
 *
 * Thread-safe: the little state here is guarded by {@code this}; the work runs on Futures.
 */
public final class Operations {
  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  /** Chats handed over at once; the next batch starts when one is done. */
  private static final int BATCH = 64;

  /** Evacuation passes at most (chats that arrived meanwhile, e.g. restores, get another one). */
  private static final int PASSES = 3;

  private static final long DRAIN_CHECK_MS = 250;

  private final Vertx vertx;
  private final ChatEngine engine;
  private final SurvivorClient survivors;

  private long drainTimer = -1;
  private long drainStartedAt = -1;
  private long drainDeadlineAt = -1;
  private String drainState; // null (never), "draining", "evacuating", "done", "cancelled"
  private Promise<JsonObject> drainDone;
  private Future<JsonObject> evacuation;
  private JsonObject lastEvacuation;

  private Operations(Vertx vertx, ChatEngine engine, OpsOptions options) {
    this.vertx = vertx;
    this.engine = engine;
    this.survivors = new SurvivorClient(vertx, options.getHandOverTimeout());
  }

  public static Operations create(Vertx vertx, ChatEngine engine, OpsOptions options) {
    return new Operations(vertx, engine, options);
  }

  /** No new chats from now on; the open ones go on. Idempotent. */
  public synchronized JsonObject disable() {
    engine.disable();
    return status();
  }

  /** New chats again; ends a drain (an evacuation under way finishes the chats it started). */
  public synchronized JsonObject enable() {
    if ("draining".equals(drainState)) {
      finishDrain("cancelled");
    }
    engine.setPhase(null);
    engine.enable();
    return status();
  }

  /**
   * Disables the instance and waits for its chats to end; with {@code deadlineMs} ≥ 0, evacuates
   * what is left once it passes. Draining again replaces the deadline.
   */
  public synchronized JsonObject drain(long deadlineMs) {
    engine.disable();
    long now = System.currentTimeMillis();
    if (!"draining".equals(drainState) && !"evacuating".equals(drainState)) {
      drainStartedAt = now;
      drainDone = Promise.promise();
    }
    drainDeadlineAt = deadlineMs < 0 ? -1 : now + deadlineMs;
    if (evacuation == null) {
      drainState = "draining";
      engine.setPhase(EngineState.DRAINING);
      if (drainTimer < 0) {
        drainTimer = vertx.setPeriodic(DRAIN_CHECK_MS, t -> checkDrain());
      }
    }
    LOG.info(
        "[{}] draining: {} open chats{}",
        engine.instanceId(),
        engine.activeSessions(),
        deadlineMs < 0 ? ", no deadline" : ", deadline in " + deadlineMs + " ms");
    return status();
  }

  /** Completes when the current drain ended (chats gone, or evacuated), or at once if none. */
  public synchronized Future<JsonObject> drained() {
    return drainDone == null ? Future.succeededFuture(status()) : drainDone.future();
  }

  /**
   * Hands every open chat to the other instances now; completes with a report ({@code evacuated},
   * {@code failed}, {@code sessions} left, {@code tookMs}). A second call while one runs joins it.
   */
  public synchronized Future<JsonObject> evacuate() {
    if (evacuation != null) {
      return evacuation;
    }
    engine.disable();
    engine.setPhase(EngineState.EVACUATING);
    if ("draining".equals(drainState)) {
      drainState = "evacuating";
    }
    int held = engine.activeSessions();
    LOG.info("[{}] evacuating {} open chats", engine.instanceId(), held);
    long t0 = System.nanoTime();
    int[] counts = new int[HandOverOutcome.values().length];
    Future<JsonObject> f =
        pass(counts, PASSES)
            .map(
                v -> {
                  JsonObject report =
                      new JsonObject()
                          .put("evacuated", counts[HandOverOutcome.HANDED_OVER.ordinal()])
                          .put("failed", counts[HandOverOutcome.FAILED.ordinal()])
                          .put("sessions", engine.activeSessions())
                          .put("tookMs", (System.nanoTime() - t0) / 1_000_000);
                  LOG.info("[{}] evacuation done: {}", engine.instanceId(), report.encode());
                  return report;
                });
    evacuation = f;
    f.onComplete(ar -> evacuationEnded(ar.result()));
    return f;
  }

  private synchronized void evacuationEnded(JsonObject report) {
    evacuation = null;
    lastEvacuation = report;
    if (engine.state() == EngineState.EVACUATING) {
      engine.setPhase(null); // disabled, unless enabled meanwhile
    }
    if ("evacuating".equals(drainState)) {
      finishDrain("done");
    }
  }

  /** One pass over the open chats, in batches; another pass if chats are left and moved. */
  private Future<Void> pass(int[] counts, int passesLeft) {
    List<String> ids = engine.liveSessionIds();
    if (ids.isEmpty() || passesLeft == 0) {
      return Future.succeededFuture();
    }
    int before = counts[HandOverOutcome.HANDED_OVER.ordinal()];
    return batches(ids, 0, counts)
        .compose(
            v ->
                counts[HandOverOutcome.HANDED_OVER.ordinal()] > before
                    ? pass(counts, passesLeft - 1)
                    : Future.succeededFuture());
  }

  private Future<Void> batches(List<String> ids, int from, int[] counts) {
    if (from >= ids.size()) {
      return Future.succeededFuture();
    }
    List<Future<HandOverOutcome>> batch = new ArrayList<>();
    for (String id : ids.subList(from, Math.min(ids.size(), from + BATCH))) {
      batch.add(
          engine
              .handOver(id)
              .compose(o -> o == HandOverOutcome.HANDED_OVER ? adopt(id).map(o) : succeeded(o))
              .onSuccess(
                  o -> {
                    synchronized (counts) {
                      counts[o.ordinal()]++;
                    }
                  }));
    }
    return Future.join(batch).transform(ar -> batches(ids, from + BATCH, counts));
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

  /**
   * The graceful stop's first part: drain up to {@code drainMs} (0: not at all), then evacuate what
   * is left. Completes when no open chat is left that could be handed over.
   */
  public Future<JsonObject> prepareStop(long drainMs) {
    if (drainMs <= 0) {
      return evacuate();
    }
    drain(drainMs);
    return drained().compose(v -> engine.activeSessions() > 0 ? evacuate() : succeeded(status()));
  }

  private void checkDrain() {
    boolean evacuateNow;
    synchronized (this) {
      if (!"draining".equals(drainState)) {
        return;
      }
      if (engine.liveSessionIds().isEmpty()) {
        LOG.info("[{}] drained: no open chats left", engine.instanceId());
        finishDrain("done");
        engine.setPhase(null);
        return;
      }
      evacuateNow = drainDeadlineAt >= 0 && System.currentTimeMillis() >= drainDeadlineAt;
    }
    if (evacuateNow) {
      LOG.info("[{}] drain deadline passed", engine.instanceId());
      evacuate();
    }
  }

  private void finishDrain(String state) {
    drainState = state;
    if (drainTimer >= 0) {
      vertx.cancelTimer(drainTimer);
      drainTimer = -1;
    }
    if (drainDone != null) {
      drainDone.tryComplete(status());
    }
  }

  /**
   * What the instance does now: state, open chats, the oldest one's age, the drain (started,
   * deadline, its state) and the last evacuation's report.
   */
  public synchronized JsonObject status() {
    long now = System.currentTimeMillis();
    long oldest = engine.oldestLiveSessionCreatedAt();
    JsonObject s =
        new JsonObject()
            .put("instanceId", engine.instanceId())
            .put("state", engine.state().wireName())
            .put("sessions", engine.activeSessions())
            .put("oldestSessionAgeMs", oldest < 0 ? 0 : Math.max(0, now - oldest));
    if (drainState != null) {
      JsonObject d =
          new JsonObject()
              .put("state", drainState)
              .put("startedAt", Instant.ofEpochMilli(drainStartedAt).toString());
      if (drainDeadlineAt >= 0) {
        d.put("deadline", Instant.ofEpochMilli(drainDeadlineAt).toString())
            .put("deadlineInMs", Math.max(0, drainDeadlineAt - now));
      }
      s.put("drain", d);
    }
    if (lastEvacuation != null) {
      s.put("lastEvacuation", lastEvacuation);
    }
    return s;
  }

  public Future<Void> close() {
    synchronized (this) {
      if (drainTimer >= 0) {
        vertx.cancelTimer(drainTimer);
        drainTimer = -1;
      }
    }
    return survivors.close();
  }

  private static <T> Future<T> succeeded(T value) {
    return Future.succeededFuture(value);
  }
}
