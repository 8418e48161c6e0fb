package dev.hachat.server.session;

import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands one live chat to the other instances with nothing lost (docs/operations.md, evacuate):
 *
 * <ol>
 *   <li>the session stops taking entries (requests get a retryable answer, clients resend with the
 *       same message id) and waits until everything appended before is saved and acknowledged;
 *   <li>its ownership record is marked released at its epoch ({@link TranscriptStore#release}), so
 *       a survivor claims epoch e+1 at once, without waiting for this instance to look dead;
 *   <li>this copy stops like a fenced one: requests get {@code NOT_OWNER} naming a survivor,
 *       connected parties get a {@code MOVED} close and reconnect.
 * </ol>
 *
 * A release whose answer was lost may have applied, so once it was sent this copy never
 * acknowledges again, whatever the answer. Thread-safe.
 */
final class HandOver {
  private static final Logger LOG = LoggerFactory.getLogger(HandOver.class);
  private static final int RELEASE_ATTEMPTS = 3;
  private static final long RELEASE_RETRY_DELAY = 200;

  private final Vertx vertx;
  private final String instanceId;
  private final TranscriptStore store;
  private final Kpi kpi;
  private final long timeoutMs;

  HandOver(Vertx vertx, String instanceId, TranscriptStore store, Kpi kpi, long timeoutMs) {
    this.vertx = vertx;
    this.instanceId = instanceId;
    this.store = store;
    this.kpi = kpi;
    this.timeoutMs = timeoutMs;
  }

  Future<HandOverOutcome> handOver(Session s) {
    return s.beginHandOver(timeoutMs)
        .transform(
            ar -> {
              if (ar.failed()) {
                s.cancelHandOver();
                LOG.warn(
                    "{} not handed over: its last saves did not complete ({}); it stays here",
                    s,
                    ar.cause().toString());
                return Future.succeededFuture(HandOverOutcome.FAILED);
              }
              long epoch = ar.result();
              if (epoch < 0) {
                return Future.succeededFuture(HandOverOutcome.NOT_LIVE);
              }
              return release(s.id(), epoch, RELEASE_ATTEMPTS)
                  .transform(
                      rel -> {
                        // The engine forgets this copy (SessionContext.fenced).
                        s.fence(Relocation.Fence.HANDED_OVER);
                        if (rel.succeeded()) {
                          kpi.sessionEvacuated();
                          LOG.debug("{} handed over at epoch {}", s, epoch);
                          return Future.succeededFuture(HandOverOutcome.HANDED_OVER);
                        }
                        if (StoreException.is(rel.cause(), StoreErrorKind.CONFLICT)) {
                          // Another instance owns it already (this one had lost it).
                          return Future.succeededFuture(HandOverOutcome.NOT_LIVE);
                        }
                        LOG.warn(
                            "{} release failed ({}); the chat goes to whichever instance is asked"
                                + " for it next",
                            s,
                            rel.cause().toString());
                        return Future.succeededFuture(HandOverOutcome.FAILED);
                      });
            });
  }

  /** Releases, retrying while the store does not answer (a release is idempotent). */
  private Future<Void> release(String chatId, long epoch, int attemptsLeft) {
    return store
        .release(chatId, epoch)
        .timeout(timeoutMs, TimeUnit.MILLISECONDS)
        .recover(
            e -> {
              if (attemptsLeft <= 1 || StoreException.is(e, StoreErrorKind.CONFLICT)) {
                return Future.failedFuture(e);
              }
              LOG.debug("[{}|{}] release failed, retrying: {}", instanceId, chatId, e.toString());
              return vertx
                  .timer(RELEASE_RETRY_DELAY)
                  .compose(t -> release(chatId, epoch, attemptsLeft - 1));
            });
  }
}
