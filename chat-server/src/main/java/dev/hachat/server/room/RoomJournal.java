package dev.hachat.server.room;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomEntryType;
import dev.hachat.store.room.RoomMember;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A room's save queue: entries get the next index, one write is in flight at a time (what arrives
 * meanwhile goes out together next), and entries are committed only once the store accepted them
 * and the acknowledge guard still holds (R2), strictly in index order. A failed write acknowledges
 * nothing: its senders and those queued behind get {@code STORE_UNAVAILABLE}, and the next write
 * starts again at the first uncommitted index (the store replaces what the failed one may have
 * left). A fenced write, or a lost guard, stops the journal and tells the room.
 *
 * <p>Threading: confined to its room's context (asserted where it changes state).
 */
final class RoomJournal {
  /** An entry on its way, with the member change it carries and its sender's promise. */
  record Pending(RoomEntry entry, RoomMember upsert, String removed, Promise<RoomEntry> promise) {}

  /** What the room does on a commit and when the journal is fenced. */
  interface Sink {
    void committed(Pending p);

    void fenced();

    void idle();
  }

  private final RoomSetup setup;
  private final OwnContext ctx;
  private final String roomId;
  private final long epoch;
  private final BooleanSupplier guard;
  private final Sink room;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private long committed;
  private long next;
  private boolean writing;
  private boolean stopped;

  RoomJournal(
      RoomSetup setup,
      OwnContext ctx,
      String roomId,
      long epoch,
      long lastIndex,
      BooleanSupplier guard,
      Sink room) {
    this.setup = setup;
    this.ctx = ctx;
    this.roomId = roomId;
    this.epoch = epoch;
    this.guard = guard;
    this.room = room;
    this.committed = lastIndex;
    this.next = lastIndex + 1;
  }

  long committed() {
    return committed;
  }

  /** Nothing queued and nothing being written. */
  boolean idle() {
    return !writing && queue.isEmpty();
  }

  /** Entries queued that add a member. */
  long queuedJoins() {
    return queue.stream().filter(p -> p.upsert() != null).count();
  }

  Future<RoomEntry> append(
      RoomEntryType type,
      String memberId,
      String nickname,
      String text,
      String cmid,
      RoomMember upsert,
      String removed) {
    assert ctx.isCurrent();
    RoomEntry e =
        new RoomEntry(next++, type, memberId, nickname, text, setup.clock().millis(), cmid);
    Promise<RoomEntry> p = Promise.promise();
    queue.add(new Pending(e, upsert, removed, p));
    flush();
    return p.future();
  }

  /** Stops for good: what is queued fails with {@code why}; a write in flight commits nothing. */
  void stop(ChatException why) {
    assert ctx.isCurrent();
    stopped = true;
    failQueued(why);
  }

  private void flush() {
    if (writing || queue.isEmpty() || stopped) {
      return;
    }
    List<Pending> batch = new ArrayList<>(queue);
    queue.clear();
    writing = true;
    List<RoomEntry> entries = batch.stream().map(Pending::entry).toList();
    List<RoomMember> upserts =
        batch.stream().map(Pending::upsert).filter(Objects::nonNull).toList();
    List<String> removed = batch.stream().map(Pending::removed).filter(Objects::nonNull).toList();
    ctx.back(
            setup
                .store()
                .append(roomId, epoch, entries, upserts, removed)
                .timeout(setup.options().getSaveTimeout(), TimeUnit.MILLISECONDS))
        .onComplete(ar -> written(batch, ar));
  }

  private void written(List<Pending> batch, AsyncResult<Void> ar) {
    writing = false;
    if (stopped) {
      batch.forEach(p -> p.promise().tryFail(setup.notOwner().apply(null)));
      return;
    }
    if (ar.succeeded() && guard.getAsBoolean()) {
      for (Pending p : batch) {
        committed = p.entry().index();
        room.committed(p);
        p.promise().tryComplete(p.entry());
      }
    } else if (ar.succeeded() || StoreException.is(ar.cause(), StoreErrorKind.FENCED)) {
      // Another instance holds the room (or this one lost its lease): nothing is acknowledged.
      batch.forEach(p -> p.promise().tryFail(setup.notOwner().apply(null)));
      room.fenced();
      return;
    } else {
      ChatException busy =
          new ChatException(ErrorCode.STORE_UNAVAILABLE, "the room could not be saved; retry");
      batch.forEach(p -> p.promise().tryFail(busy));
      failQueued(busy);
      next = committed + 1;
    }
    if (queue.isEmpty()) {
      room.idle();
    }
    flush();
  }

  private void failQueued(ChatException why) {
    queue.forEach(p -> p.promise().tryFail(why));
    queue.clear();
  }
}
