package dev.hachat.server.history;

import dev.hachat.server.cluster.Membership;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.AfterClose;
import dev.hachat.store.OutboxReader;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.UcsOptions;
import dev.hachat.store.spi.ContactHistory;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the final transcript of every closed chat to the contact history (UCS), exactly once, and
 * only then lets the intermediate records go.
 *
 * <p>The intermediate store is the outbox: a closed chat's records stay there until its final write
 * succeeded. The instance that closed a chat writes it at once and retries with growing pauses
 * while PostgreSQL is unreachable. If that instance dies first, a survivor finishes the write:
 * either when it restores the closed chat for a request, or when its sweep finds the chat in {@link
 * TranscriptStore#closedSessions} with a dead owner. The write is idempotent by chat id, so two
 * instances finishing the same chat write it once.
 *
 * <p>The sweep reads the outbox with an {@link OutboxReader}, so a backlog in one time bucket never
 * hides the chats of the others. Each failed step (a read of the outbox, the removal of a finished
 * chat's records) is counted in {@code final_sweep_failures} and logged at WARN, once, with its
 * cause; the next sweep tries again.
 */
public final class FinalTranscripts implements AfterClose {
  private static final Logger LOG = LoggerFactory.getLogger(FinalTranscripts.class);

  private final Vertx vertx;
  private final String instanceId;
  private final TranscriptStore store;
  private final ContactHistory history;
  private final UcsOptions options;
  private final Kpi kpi;
  private final Clock clock;
  private final Predicate<String> ownerAlive;
  private final Predicate<String> servedHere;
  private final Map<String, Future<Void>> writing = new ConcurrentHashMap<>();

  /** Chats whose final transcript this instance wrote (or found written) and not retired yet. */
  private final java.util.Set<String> done = ConcurrentHashMap.newKeySet();

  /** Chats UCS refused even sanitised: the sweep does not try them again in this process. */
  private final java.util.Set<String> rejected = ConcurrentHashMap.newKeySet();

  /**
   * Where the next sweep reads the outbox from, so a backlog the sweep cannot finish (chats of live
   * owners, refused ones) never hides the entries after it. One pass at a time (a sweep due while
   * the previous one still reads is skipped).
   */
  private final OutboxReader outbox;

  private long sweepTimer = -1;
  private volatile boolean stopped;

  /**
   * @param ownerAlive whether an instance is alive ({@link Membership#isAlive})
   * @param servedHere whether this instance still holds the chat in memory
   */
  public FinalTranscripts(
      Vertx vertx,
      String instanceId,
      TranscriptStore store,
      ContactHistory history,
      UcsOptions options,
      Kpi kpi,
      Clock clock,
      Predicate<String> ownerAlive,
      Predicate<String> servedHere) {
    this.vertx = vertx;
    this.instanceId = instanceId;
    this.store = store;
    this.history = history;
    this.options = options;
    this.kpi = kpi;
    this.clock = clock;
    this.ownerAlive = ownerAlive;
    this.servedHere = servedHere;
    this.outbox = OutboxReader.create(store);
    kpi.finalTranscriptsPending(writing::size);
  }

  @Override
  public void closed(String chatId) {
    finish(chatId);
  }

  @Override
  public void retired(String chatId) {
    if (done.remove(chatId)) {
      deleteIntermediate(chatId); // written at the close: no second round trip
    } else {
      finish(chatId).onSuccess(v -> deleteIntermediate(chatId));
    }
  }

  /** Writes the chat's final transcript (once per instance at a time); retries until done. */
  public Future<Void> finish(String chatId) {
    Promise<Void> promise = Promise.promise();
    Future<Void> running = writing.putIfAbsent(chatId, promise.future());
    if (running != null) {
      return running;
    }
    attempt(chatId, options.getFinalRetryMinDelay())
        .onSuccess(v -> done.add(chatId))
        .onComplete(
            ar -> {
              writing.remove(chatId, promise.future());
              promise.handle(ar);
            });
    return promise.future();
  }

  private Future<Void> attempt(String chatId, long delay) {
    if (stopped) {
      return Future.failedFuture(new IllegalStateException("stopped"));
    }
    return store
        .load(chatId)
        .compose(
            s -> {
              if (!s.isClosed()) {
                return Future.failedFuture(
                    StoreException.of(StoreErrorKind.CONFLICT, "chat " + chatId + " is open"));
              }
              return writeStorable(chatId, s);
            })
        .compose(
            wrote -> {
              if (wrote) {
                kpi.finalTranscriptWritten();
                LOG.info("[{}|{}] final transcript written to UCS", instanceId, chatId);
              }
              return Future.<Void>succeededFuture();
            })
        .recover(
            e -> {
              if (StoreException.is(e, StoreErrorKind.NOT_FOUND)
                  || StoreException.is(e, StoreErrorKind.CONFLICT)
                  || StoreException.is(e, StoreErrorKind.REJECTED)) {
                // gone (finished elsewhere), not closed, or refused even when sanitised
                return Future.failedFuture(e);
              }
              kpi.finalTranscriptFailure();
              LOG.debug(
                  "[{}|{}] final write failed, retrying: {}", instanceId, chatId, e.toString());
              long next = Math.min(delay * 2, options.getFinalRetryMaxDelay());
              return vertx.timer(delay).compose(t -> attempt(chatId, next));
            });
  }

  /**
   * Writes {@code s}; if PostgreSQL refuses its data (SQLSTATE class 22/23, which no retry cures),
   * writes it once more with every unstorable character replaced, so the chat still reaches the
   * contact history, and counts it. Refused again: logged as an error, given up, not retried.
   */
  private Future<Boolean> writeStorable(String chatId, StoredSession s) {
    return history
        .writeFinal(s, instanceId)
        .recover(
            e -> {
              if (!StoreException.is(e, StoreErrorKind.REJECTED)) {
                return Future.failedFuture(e);
              }
              kpi.finalTranscriptRejected();
              LOG.warn(
                  "[{}|{}] UCS refused the final transcript ({}); writing it with unstorable"
                      + " characters replaced",
                  instanceId,
                  chatId,
                  e.getMessage());
              return history
                  .writeFinal(s.storable(), instanceId)
                  .onFailure(
                      again -> {
                        if (StoreException.is(again, StoreErrorKind.REJECTED)) {
                          rejected.add(chatId);
                          LOG.error(
                              "[{}|{}] UCS refused the final transcript even with unstorable"
                                  + " characters replaced; its intermediate records are kept",
                              instanceId,
                              chatId,
                              again);
                        }
                      });
            });
  }

  private void deleteIntermediate(String chatId) {
    done.remove(chatId);
    store
        .delete(chatId)
        .onFailure(e -> LOG.debug("[{}|{}] delete failed: {}", instanceId, chatId, e.toString()));
  }

  /** Starts the periodic sweep for closed chats whose owner can no longer finish them. */
  public void startSweeper() {
    sweepTimer = vertx.setPeriodic(options.getSweepInterval(), t -> sweep());
  }

  /**
   * One sweep (public for tests): reads the next pass of the outbox and finishes the chats in it
   * that their owner can no longer finish. Completes when they are done; never fails (failures are
   * counted and logged).
   */
  public Future<Void> sweep() {
    Future<OutboxReader.Pass> read;
    try {
      read = outbox.next(clock.millis());
    } catch (RuntimeException e) {
      read = Future.failedFuture(e);
    }
    return read.transform(
        ar -> {
          if (ar.failed()) {
            sweepFailed("reading the outbox", ar.cause());
            return Future.succeededFuture();
          }
          OutboxReader.Pass pass = ar.result();
          if (pass.failure() != null) {
            sweepFailed("reading the outbox", pass.failure());
          }
          java.util.List<Future<Void>> steps = new java.util.ArrayList<>();
          for (TranscriptStore.ClosedSession c : pass.entries()) {
            if (isOrphan(c)) {
              steps.add(finishListed(c));
            }
          }
          return Future.join(steps).<Void>mapEmpty();
        });
  }

  private boolean isOrphan(TranscriptStore.ClosedSession c) {
    String chatId = c.sessionId();
    boolean mine = c.owner().equals(instanceId);
    boolean orphan = mine ? !servedHere.test(chatId) : !ownerAlive.test(c.owner());
    return orphan && !writing.containsKey(chatId) && !rejected.contains(chatId);
  }

  /**
   * Finishes a listed chat and deletes its records and the entry it was listed under; an entry
   * whose chat is gone (finished elsewhere, or an entry of an earlier version) is removed. Never
   * fails: what goes wrong is counted and logged.
   */
  private Future<Void> finishListed(TranscriptStore.ClosedSession c) {
    String chatId = c.sessionId();
    return finish(chatId)
        .transform(
            ar -> {
              Throwable e = ar.cause();
              if (ar.succeeded() || StoreException.is(e, StoreErrorKind.NOT_FOUND)) {
                done.remove(chatId);
                return store
                    .delete(c)
                    .recover(
                        d -> {
                          sweepFailed("removing the records of " + chatId, d);
                          return Future.succeededFuture();
                        });
              }
              // Still open (its close did not take effect), refused by UCS (counted and logged
              // when it happened), or this instance stopping: nothing to do now.
              if (!StoreException.is(e, StoreErrorKind.CONFLICT)
                  && !StoreException.is(e, StoreErrorKind.REJECTED)
                  && !stopped) {
                sweepFailed("finishing " + chatId, e);
              }
              return Future.<Void>succeededFuture();
            });
  }

  private void sweepFailed(String step, Throwable e) {
    kpi.finalSweepFailure();
    LOG.warn(
        "[{}] final-transcript sweep: {} failed ({}); counted in final_sweep_failures, retried"
            + " next sweep",
        instanceId,
        step,
        e.toString());
  }

  public void stop() {
    stopped = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
    }
  }
}
