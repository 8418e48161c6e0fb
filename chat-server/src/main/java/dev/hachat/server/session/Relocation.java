package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.RestoreNotice;
import io.vertx.core.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A session's moves between instances: out by hand-over ({@link #beginHandOver}, then {@link
 * #fence} with {@link Fence#HANDED_OVER} or {@link #cancelHandOver}), away when another instance
 * took it ({@link Fence#TAKEN_OVER}), and in by restore ({@link #restoredNotice}).
 *
 * <p>Threading: the hand-over state ({@code movingOut}) is confined to the session's loop, like the
 * rest of the session; the fence flag may be read and set from any thread, and a fence happens
 * once.
 */
final class Relocation {
  /**
   * Why a copy stops serving. Either way requests get {@link ErrorCode#NOT_OWNER} from then on and
   * connected parties a {@code MOVED} notice and close, so they reconnect to the new owner.
   */
  enum Fence {
    /**
     * Another instance owns the chat: this one lost its lease, or the store or a restore said so.
     */
    TAKEN_OVER("another instance owns this chat now; retry"),
    /** This instance handed the chat over on purpose (evacuate) and released its ownership. */
    HANDED_OVER("the chat moved to another instance; retry");

    private final String message;

    Fence(String message) {
      this.message = message;
    }
  }

  private final Session session;
  private final SessionLoop loop;
  private final SessionContext ctx;
  private final SavePipeline writer;
  private final Subscribers listeners;
  private final RestoreNotices restoreNotice;
  private final AtomicBoolean fenced = new AtomicBoolean();

  /**
   * True while the session is being handed to another instance: requests that would add an entry
   * get a retryable answer, so nothing is saved after the final save.
   */
  private boolean movingOut;

  /** Appends the restore notice to the session (on its loop). */
  interface RestoreNotices {
    void append(boolean handedOver);
  }

  /**
   * @param restoreNotice appends the restore notice ({@link RestoreNotice}) to the session
   */
  Relocation(
      Session session,
      SessionLoop loop,
      SessionContext ctx,
      SavePipeline writer,
      Subscribers listeners,
      RestoreNotices restoreNotice) {
    this.session = session;
    this.loop = loop;
    this.ctx = ctx;
    this.writer = writer;
    this.listeners = listeners;
    this.restoreNotice = restoreNotice;
  }

  /** True once this copy was fenced; every request then gets NOT_OWNER. Any thread. */
  boolean isFenced() {
    return fenced.get();
  }

  /** Whether a hand-over is under way (on the loop). */
  boolean isMovingOut() {
    return movingOut;
  }

  /**
   * First step of a hand-over: from now on requests that would add an entry are answered {@link
   * ErrorCode#INSTANCE_UNAVAILABLE} (retryable); completes with the ownership epoch once everything
   * appended before is saved and acknowledged, or with -1 if the chat closed or moved meanwhile
   * (nothing to hand over). Fails if the last saves do not complete within {@code timeoutMs}; the
   * caller then calls {@link #cancelHandOver()}.
   */
  Future<Long> beginHandOver(long timeoutMs) {
    return loop.call(
        () -> {
          if (!session.isLive()) {
            return Future.succeededFuture(-1L);
          }
          movingOut = true;
          return writer
              .whenIdle()
              .timeout(timeoutMs, TimeUnit.MILLISECONDS)
              .map(v -> session.isLive() ? writer.epoch() : -1L);
        });
  }

  /** The hand-over did not happen: the session goes on here as before. */
  void cancelHandOver() {
    loop.run(() -> movingOut = false);
  }

  /** Refuses, retryably, a request that would add an entry while the chat is handed over. */
  void requireStaying() {
    if (movingOut) {
      throw new ChatException(
          ErrorCode.INSTANCE_UNAVAILABLE, "the chat is moving to another server; retry");
    }
  }

  /** Refuses a request to a fenced copy. */
  void requireOwner() {
    if (fenced.get()) {
      throw new ChatException(ErrorCode.NOT_OWNER, Fence.TAKEN_OVER.message);
    }
  }

  /**
   * Stops this copy, once: nothing more is saved or acknowledged, the engine forgets or keeps it
   * ({@link SessionContext#fenced}), subscribers get {@code MOVED} and are disconnected. Any
   * thread.
   */
  void fence(Fence why) {
    if (!fenced.compareAndSet(false, true)) {
      return;
    }
    ctx.fenced(session, why);
    loop.run(
        () -> {
          writer.stop(ErrorCode.NOT_OWNER, why.message);
          listeners.notice(
              session, ReasonCode.MOVED.name(), "the chat moved to another server; reconnect");
          listeners.closeAll(session, new CloseInfo(ReasonCode.MOVED, ctx.clock().millis()));
          ctx.noLongerWaiting(session, EngineListener.Why.MOVED);
        });
  }

  /**
   * Writes the restore notice: parties connected to the old owner were cut off ({@code handedOver}:
   * the old owner handed the chat over on purpose, an evacuation).
   */
  Future<Void> restoredNotice(boolean handedOver) {
    return loop.call(
        () -> {
          restoreNotice.append(handedOver);
          return Future.succeededFuture();
        });
  }
}
