package dev.hachat.server.ops;

import dev.hachat.common.config.ClientTls;
import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.config.OpsOptions;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.EngineState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's procedures on this instance (docs/operations.md):
 *
 * <ul>
 *   <li><b>disable / enable</b>: no new chats / new chats again (enable also ends a drain);
 *   <li><b>drain</b>: disable, then wait for the open chats to end; once an optional deadline
 *       passes, evacuate the rest. Progress: sessions left, oldest session age, deadline;
 *   <li><b>evacuate</b>: hand every open chat to the other instances now ({@link Evacuation}), and
 *       ask the chosen survivor to adopt each one at once;
 *   <li><b>prepare stop</b> (SIGTERM): drain up to {@code ops.stop-drain-time}, evacuate the rest.
 * </ul>
 *
 * <p>Threading: the procedures run on a context of their own ({@link OwnContext}): the drain and
 * evacuation state changes only there and is published as an {@link OpsSnapshot} through the one
 * volatile field {@code snapshot}; the drain's timer, its completion and the running evacuation are
 * handles kept on the context. {@link #status()} and {@link #disable()} (which changes only the
 * engine) run on any thread; the other procedures hop onto the context and return Futures.
 */
public final class Operations {
  private static final Logger LOG = LoggerFactory.getLogger(Operations.class);

  private static final long DRAIN_CHECK_MS = 250;

  private final OwnContext context;
  private final ChatEngine engine;
  private final SurvivorClient survivors;
  private volatile OpsSnapshot snapshot = OpsSnapshot.NONE;

  // Handles on the context only.
  private long drainTimer = -1;
  private Promise<JsonObject> drainDone;
  private Future<JsonObject> evacuating;

  private Operations(
      Vertx vertx,
      ChatEngine engine,
      OpsOptions options,
      java.util.function.Supplier<String> authorization,
      ClientTls tls) {
    this.context = OwnContext.create(vertx);
    this.engine = engine;
    this.survivors = new SurvivorClient(vertx, options.getHandOverTimeout(), authorization, tls);
  }

  /** Operations whose calls to other instances carry no credential (open mode). */
  public static Operations create(Vertx vertx, ChatEngine engine, OpsOptions options) {
    return create(vertx, engine, options, () -> null, ClientTls.plain());
  }

  /**
   * @param authorization the {@code Authorization} header of calls to other instances' admin ports
   *     (this instance's peer token), or a supplier of null in open mode
   * @param tls how to call them: plain, or TLS ({@code security.tls-trust-file})
   */
  public static Operations create(
      Vertx vertx,
      ChatEngine engine,
      OpsOptions options,
      java.util.function.Supplier<String> authorization,
      ClientTls tls) {
    return new Operations(vertx, engine, options, authorization, tls);
  }

  /** The drain and the last evacuation as of now (immutable). */
  public OpsSnapshot snapshot() {
    return snapshot;
  }

  /** No new chats from now on; the open ones go on. Idempotent. Changes only the engine. */
  public JsonObject disable() {
    engine.disable();
    return status();
  }

  /**
   * New chats again; ends a drain (an evacuation under way finishes the chats it started).
   * Completes with the status after it.
   */
  public Future<JsonObject> enableAsync() {
    return context.call(
        () -> {
          assert context.isCurrent() : "enable off the operations' context";
          if (snapshot.draining()) {
            finishDrain("cancelled");
          }
          engine.setPhase(null);
          engine.enable();
          return Future.succeededFuture(status());
        });
  }

  /**
   * {@link #enableAsync()}, answering at once: off the operations' context the answer may predate
   * the change.
   */
  @Deprecated
  public JsonObject enable() {
    return answerNow(enableAsync());
  }

  /**
   * Disables the instance and waits for its chats to end; with {@code deadlineMs} ≥ 0, evacuates
   * what is left once it passes. Draining again replaces the deadline. Completes with the status
   * after it.
   */
  public Future<JsonObject> drainAsync(long deadlineMs) {
    return context.call(() -> Future.succeededFuture(startDrain(deadlineMs)));
  }

  /**
   * {@link #drainAsync}, answering at once: off the operations' context the answer may predate the
   * change.
   */
  @Deprecated
  public JsonObject drain(long deadlineMs) {
    return answerNow(drainAsync(deadlineMs));
  }

  /** Completes when the current drain ended (chats gone, or evacuated), or at once if none. */
  public Future<JsonObject> drained() {
    return context.call(
        () -> drainDone == null ? Future.succeededFuture(status()) : drainDone.future());
  }

  /**
   * Hands every open chat to the other instances now; completes with a report ({@code evacuated},
   * {@code failed}, {@code sessions} left, {@code tookMs}), after the status shows its end. A
   * second call while one runs joins it.
   */
  public Future<JsonObject> evacuate() {
    return context.call(this::startEvacuation);
  }

  /**
   * The graceful stop's first part: drain up to {@code drainMs} (0: not at all), then evacuate what
   * is left. Completes when no open chat is left that could be handed over.
   */
  public Future<JsonObject> prepareStop(long drainMs) {
    if (drainMs <= 0) {
      return evacuate();
    }
    return drainAsync(drainMs)
        .compose(v -> drained())
        .compose(v -> engine.activeSessions() > 0 ? evacuate() : Future.succeededFuture(status()));
  }

  /**
   * What the instance does now: state, open chats, the oldest one's age, the drain (started,
   * deadline, its state) and the last evacuation's report.
   */
  public JsonObject status() {
    OpsSnapshot s = snapshot;
    long now = System.currentTimeMillis();
    long oldest = engine.oldestLiveSessionCreatedAt();
    JsonObject out =
        new JsonObject()
            .put("instanceId", engine.instanceId())
            .put("state", engine.state().wireName())
            .put("sessions", engine.activeSessions())
            .put("oldestSessionAgeMs", oldest < 0 ? 0 : Math.max(0, now - oldest));
    JsonObject drain = s.drainJson(now);
    if (drain != null) {
      out.put("drain", drain);
    }
    if (s.lastEvacuation() != null) {
      out.put("lastEvacuation", s.lastEvacuation().toJson());
    }
    return out;
  }

  public Future<Void> close() {
    return context
        .call(
            () -> {
              cancelDrainTimer();
              return Future.<Void>succeededFuture();
            })
        .compose(v -> survivors.close());
  }

  private JsonObject startDrain(long deadlineMs) {
    assert context.isCurrent() : "drain off the operations' context";
    engine.disable();
    long now = System.currentTimeMillis();
    OpsSnapshot s = snapshot;
    boolean running = s.draining() || s.evacuatingForDrain();
    if (!running) {
      drainDone = Promise.promise();
    }
    String state = s.drainState();
    if (evacuating == null) {
      state = "draining";
      engine.setPhase(EngineState.DRAINING);
      if (drainTimer < 0) {
        drainTimer = context.setPeriodic(DRAIN_CHECK_MS, t -> checkDrain());
      }
    }
    snapshot =
        s.withDrain(
            state, running ? s.drainStartedAt() : now, deadlineMs < 0 ? -1 : now + deadlineMs);
    LOG.info(
        "[{}] draining: {} open chats{}",
        engine.instanceId(),
        engine.activeSessions(),
        deadlineMs < 0 ? ", no deadline" : ", deadline in " + deadlineMs + " ms");
    return status();
  }

  private void checkDrain() {
    assert context.isCurrent() : "drain check off the operations' context";
    OpsSnapshot s = snapshot;
    if (!s.draining()) {
      return;
    }
    if (engine.liveSessionIds().isEmpty()) {
      LOG.info("[{}] drained: no open chats left", engine.instanceId());
      finishDrain("done");
      engine.setPhase(null);
      return;
    }
    if (s.drainDeadlineAt() >= 0 && System.currentTimeMillis() >= s.drainDeadlineAt()) {
      LOG.info("[{}] drain deadline passed", engine.instanceId());
      startEvacuation();
    }
  }

  private Future<JsonObject> startEvacuation() {
    assert context.isCurrent() : "evacuation off the operations' context";
    if (evacuating != null) {
      return evacuating;
    }
    engine.disable();
    engine.setPhase(EngineState.EVACUATING);
    if (snapshot.draining()) {
      snapshot = snapshot.withDrainState("evacuating");
    }
    LOG.info("[{}] evacuating {} open chats", engine.instanceId(), engine.activeSessions());
    Future<JsonObject> done =
        context
            .back(new Evacuation(context, engine, survivors).run())
            .andThen(ar -> evacuationEnded(ar.result()))
            .map(EvacuationReport::toJson);
    if (!done.isComplete()) { // it completes on this context, not meanwhile
      evacuating = done;
    }
    return done;
  }

  private void evacuationEnded(EvacuationReport report) {
    assert context.isCurrent() : "evacuation end off the operations' context";
    if (report != null) {
      LOG.info("[{}] evacuation done: {}", engine.instanceId(), report.toJson().encode());
    }
    evacuating = null;
    snapshot = snapshot.withLastEvacuation(report);
    if (engine.state() == EngineState.EVACUATING) {
      engine.setPhase(null); // disabled, unless enabled meanwhile
    }
    if (snapshot.evacuatingForDrain()) {
      finishDrain("done");
    }
  }

  private void finishDrain(String state) {
    assert context.isCurrent() : "drain end off the operations' context";
    snapshot = snapshot.withDrainState(state);
    cancelDrainTimer();
    if (drainDone != null) {
      drainDone.tryComplete(status());
    }
  }

  private void cancelDrainTimer() {
    assert context.isCurrent() : "drain timer off the operations' context";
    if (drainTimer >= 0) {
      context.cancelTimer(drainTimer);
      drainTimer = -1;
    }
  }

  /** {@code f}'s answer if it is already there (on the context), else the status now. */
  private JsonObject answerNow(Future<JsonObject> f) {
    return f.isComplete() && f.succeeded() ? f.result() : status();
  }
}
