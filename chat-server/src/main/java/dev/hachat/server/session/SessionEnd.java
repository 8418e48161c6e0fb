package dev.hachat.server.session;

import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows the end of a session on this instance: its close recorded in the store (retried
 * while the store is unreachable), its retention in memory ({@code closed-session-retention}), then
 * its records handed to {@link AfterClose}. Thread-safe.
 */
final class SessionEnd {
  private static final Logger LOG = LoggerFactory.getLogger(SessionEnd.class);
  private static final long MAX_RETRY_DELAY = 10_000;

  private final Vertx vertx;
  private final TranscriptOptions transcriptOptions;
  private final long retentionMillis;
  private final SessionTable table;
  private final TranscriptStore store;
  private final AfterClose afterClose;

  SessionEnd(EngineSetup setup, SessionTable table, AfterClose afterClose) {
    this.vertx = setup.vertx();
    this.transcriptOptions = setup.transcriptOptions();
    this.retentionMillis = Math.max(1, setup.sessionOptions().getClosedSessionRetention() * 1000L);
    this.table = table;
    this.store = setup.store();
    this.afterClose = afterClose;
  }

  /** Records the close, retrying with growing pauses until it is stored or fenced. */
  Future<Void> persistClose(Session session, long epoch, CloseInfo info) {
    if (transcriptOptions.getTranscriptAutoSave() == 0) {
      return Future.succeededFuture();
    }
    return persistClose(session, epoch, info, transcriptOptions.getTranscriptResendDelay());
  }

  private Future<Void> persistClose(Session session, long epoch, CloseInfo info, long delay) {
    return store
        .close(session.id(), epoch, info)
        .onSuccess(v -> afterClose.closed(session.id()))
        .recover(
            e -> {
              if (!StoreException.is(e, StoreErrorKind.UNAVAILABLE) || session.isFenced()) {
                LOG.warn("{} close not saved: {}", session, e.toString());
                return Future.failedFuture(e);
              }
              LOG.debug("{} close not saved yet, retrying: {}", session, e.toString());
              long next = Math.min(delay * 2, MAX_RETRY_DELAY);
              return vertx.timer(delay).compose(t -> persistClose(session, epoch, info, next));
            });
  }

  /** A closed chat found in the store (restored read-only): its final write may be due. */
  void foundClosed(Session session) {
    afterClose.closed(session.id());
    retain(session, true);
  }

  /**
   * Keeps a closed or fenced session answering for the retention time, then drops it; with {@code
   * retire} (and saving on) its records are then handed on.
   */
  void retain(Session session, boolean retire) {
    vertx.setTimer(
        retentionMillis,
        t -> {
          if (table.remove(session) && retire && transcriptOptions.getTranscriptAutoSave() > 0) {
            afterClose.retired(session.id());
          }
        });
  }
}
