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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A room's save queue: one write is in flight at a time (what arrives meanwhile goes out together
 * next, each entry getting its index when its write is formed), and entries are committed only once
 * the store accepted them and the acknowledge guard still holds (R2), strictly in index order. A
 * failed write acknowledges nothing: its senders and those queued behind get {@code
 * STORE_UNAVAILABLE}. Its outcome is unknown, so before the next write the journal reads the room's
 * last index from the store and commits what the failed write did leave there (never acknowledged,
 * but part of the history now: a resend finds it); the store never overwrites an entry, so a late
 * write cannot take an acknowledged entry's place. A fenced write, or a lost guard, stops the
 * journal and tells the room. A write the store refused for its data ({@code REJECTED}, which no
 * retry cures) is sent again one entry per write, so only the entry the store refuses fails, with
 * {@code BAD_REQUEST}; the others are saved and acknowledged as usual.
 *
 * <p>Threading: confined to its room's context (asserted where it changes state).
 */
final class RoomJournal {
  /** An entry on its way (its index comes with its write), its member change, its promise. */
  record Pending(
      RoomEntryType type,
      String memberId,
      String nickname,
      String text,
      String cmid,
      long utcTime,
      RoomMember upsert,
      String removed,
      Promise<RoomEntry> promise) {
    RoomEntry at(long index) {
      return new RoomEntry(index, type, memberId, nickname, text, utcTime, cmid);
    }
  }

  /** What the room does on a commit and when the journal is fenced. */
  interface Sink {
    void committed(Pending p, RoomEntry e);

    /** An entry a failed write did leave in the store, committed now. */
    void recovered(RoomEntry e);

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
  private boolean writing;
  private boolean resync;
  private boolean stopped;

  /** The next this many queued entries go out one per write (a refused batch is being split). */
  private int singly;

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
  }

  long committed() {
    return committed;
  }

  /** Nothing queued and nothing being written. */
  boolean idle() {
    return !writing && queue.isEmpty();
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
    Promise<RoomEntry> p = Promise.promise();
    queue.add(
        new Pending(
            type, memberId, nickname, text, cmid, setup.clock().millis(), upsert, removed, p));
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
    writing = true;
    if (resync) {
      ctx.back(recover()).onComplete(this::resynced);
      return;
    }
    List<Pending> batch;
    if (singly > 0) {
      singly--;
      batch = List.of(queue.poll());
    } else {
      batch = new ArrayList<>(queue);
      queue.clear();
    }
    List<RoomEntry> entries = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      entries.add(p.at(committed + 1 + entries.size()));
    }
    List<RoomMember> upserts =
        batch.stream().map(Pending::upsert).filter(Objects::nonNull).toList();
    List<String> removed = batch.stream().map(Pending::removed).filter(Objects::nonNull).toList();
    ctx.back(
            setup
                .store()
                .append(roomId, epoch, entries, upserts, removed)
                .timeout(setup.options().getSaveTimeout(), TimeUnit.MILLISECONDS))
        .onComplete(ar -> written(batch, entries, ar));
  }

  /** The entries past the last committed one that the store holds (a failed write left them). */
  private Future<List<RoomEntry>> recover() {
    return setup
        .store()
        .read(roomId, committed, true, setup.options().getIdempotenceWindow() + 1000)
        .timeout(setup.options().getSaveTimeout(), TimeUnit.MILLISECONDS);
  }

  private void resynced(AsyncResult<List<RoomEntry>> ar) {
    writing = false;
    if (stopped) {
      return;
    }
    if (ar.failed()) {
      failQueued(unavailable());
      return;
    }
    if (!guard.getAsBoolean()) {
      // The lease lapsed meanwhile: what the re-read found may be hidden by a claimant's base,
      // so none of it is shown, and nothing queued is written (R2).
      failQueued(setup.notOwner().apply(null));
      room.fenced();
      return;
    }
    Map<String, RoomEntry> found = new HashMap<>();
    for (RoomEntry e : ar.result()) {
      if (e.index() != committed + 1) {
        break;
      }
      committed = e.index();
      room.recovered(e);
      if (e.clientMessageId() != null) {
        found.put(e.memberId() + '\n' + e.clientMessageId(), e);
      }
    }
    // A resend queued while the re-read ran is answered with what the lost write left.
    queue.removeIf(
        p -> {
          RoomEntry e = p.cmid() == null ? null : found.get(p.memberId() + '\n' + p.cmid());
          return e != null && e.type() == p.type() && p.promise().tryComplete(e);
        });
    resync = false;
    if (queue.isEmpty()) {
      room.idle();
    }
    flush();
  }

  private void written(List<Pending> batch, List<RoomEntry> entries, AsyncResult<Void> ar) {
    writing = false;
    if (stopped) {
      batch.forEach(p -> p.promise().tryFail(setup.notOwner().apply(null)));
      return;
    }
    if (ar.succeeded() && guard.getAsBoolean()) {
      for (int i = 0; i < batch.size(); i++) {
        committed = entries.get(i).index();
        room.committed(batch.get(i), entries.get(i));
        batch.get(i).promise().tryComplete(entries.get(i));
      }
    } else if (ar.succeeded() || StoreException.is(ar.cause(), StoreErrorKind.FENCED)) {
      // Another instance holds the room (or this one lost its lease): nothing is acknowledged.
      batch.forEach(p -> p.promise().tryFail(setup.notOwner().apply(null)));
      room.fenced();
      return;
    } else if (StoreException.is(ar.cause(), StoreErrorKind.REJECTED)) {
      // Nothing of it was saved, and its data is at fault: one entry of it, or the batch as a
      // whole. Alone, the entry fails for good; in a batch, each goes again on its own.
      if (batch.size() == 1) {
        batch.get(0).promise().tryFail(RoomHost.typed(ar.cause()));
      } else {
        for (int i = batch.size() - 1; i >= 0; i--) {
          queue.addFirst(batch.get(i));
        }
        singly = batch.size();
      }
      resync = true; // cheap, and safe even if a store saved part of a refused write
    } else {
      ChatException busy = unavailable();
      batch.forEach(p -> p.promise().tryFail(busy));
      failQueued(busy);
      resync = true;
    }
    if (queue.isEmpty()) {
      room.idle();
    }
    flush();
  }

  private static ChatException unavailable() {
    return new ChatException(ErrorCode.STORE_UNAVAILABLE, "the room could not be saved; retry");
  }

  private void failQueued(ChatException why) {
    queue.forEach(p -> p.promise().tryFail(why));
    queue.clear();
  }
}
