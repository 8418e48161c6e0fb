package dev.hachat.store.impl.memory;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.Ownership;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory store. Thread-safe: each session's record is guarded by its own monitor, held only
 * for map updates (never across a callback), so it can be called from any event loop. Stale-epoch
 * writes are rejected with {@link StoreErrorKind#FENCED}.
 */
public final class MemoryTranscriptStore implements TranscriptStore {

  private final ConcurrentHashMap<String, Slot> sessions = new ConcurrentHashMap<>();

  /** One session's state; every field is guarded by the slot's monitor. */
  private static final class Slot {
    final SessionRecord session;
    Ownership ownership;
    final Map<String, ParticipantRecord> participants = new LinkedHashMap<>();
    final TreeMap<Long, Entry> entries = new TreeMap<>();
    CloseInfo closed;

    Slot(SessionRecord session, Ownership ownership) {
      this.session = session;
      this.ownership = ownership;
    }

    void checkEpoch(long epoch) {
      if (epoch != ownership.epoch()) {
        throw StoreException.of(
            StoreErrorKind.FENCED,
            "epoch "
                + epoch
                + " of session "
                + session.id()
                + " superseded by "
                + ownership.epoch());
      }
    }

    StoredSession snapshot() {
      return new StoredSession(
          session,
          ownership,
          new LinkedHashMap<>(participants),
          new ArrayList<>(entries.values()),
          closed);
    }
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public Future<Ownership> create(SessionRecord session, String owner) {
    Ownership ownership = new Ownership(session.id(), owner, 1, 0, false);
    if (sessions.putIfAbsent(session.id(), new Slot(session, ownership)) != null) {
      return Future.failedFuture(
          StoreException.of(StoreErrorKind.ALREADY_EXISTS, "session exists: " + session.id()));
    }
    return Future.succeededFuture(ownership);
  }

  @Override
  public Future<Void> append(
      String sessionId, long epoch, List<Entry> entries, List<ParticipantRecord> participants) {
    return withSlot(
        sessionId,
        slot -> {
          slot.checkEpoch(epoch);
          for (Entry e : entries) {
            slot.entries.put(e.index(), e);
          }
          for (ParticipantRecord p : participants) {
            slot.participants.put(p.id(), p);
          }
          return null;
        });
  }

  @Override
  public Future<StoredSession> load(String sessionId) {
    return withSlot(sessionId, Slot::snapshot);
  }

  @Override
  public Future<Ownership> claim(
      String sessionId, long expectedEpoch, String newOwner, long baseIndex) {
    return withSlot(
        sessionId,
        slot -> {
          if (slot.ownership.epoch() != expectedEpoch) {
            throw StoreException.conflict(slot.ownership);
          }
          slot.ownership = new Ownership(sessionId, newOwner, expectedEpoch + 1, baseIndex, false);
          // Entries of the old epoch past the base were never acknowledged: drop them.
          slot.entries.tailMap(baseIndex, false).clear();
          return slot.ownership;
        });
  }

  @Override
  public Future<Void> release(String sessionId, long epoch) {
    return withSlot(
        sessionId,
        slot -> {
          if (slot.ownership.epoch() != epoch) {
            throw StoreException.conflict(slot.ownership);
          }
          Ownership o = slot.ownership;
          slot.ownership = new Ownership(sessionId, o.owner(), o.epoch(), o.baseIndex(), true);
          return null;
        });
  }

  @Override
  public Future<Void> close(String sessionId, long epoch, CloseInfo info) {
    return withSlot(
        sessionId,
        slot -> {
          if (slot.closed == null) {
            slot.checkEpoch(epoch);
            slot.closed = info;
          }
          return null;
        });
  }

  @Override
  public Future<List<Long>> closedBuckets(long now) {
    java.util.TreeSet<Long> buckets = new java.util.TreeSet<>();
    for (Slot slot : sessions.values()) {
      synchronized (slot) {
        if (slot.closed != null) {
          buckets.add(ClosedSession.bucketOf(slot.closed.closedAt()));
        }
      }
    }
    return Future.succeededFuture(List.copyOf(buckets));
  }

  @Override
  public Future<List<ClosedSession>> closedSessions(long bucket, String afterId, int limit) {
    List<ClosedSession> out = new ArrayList<>();
    for (Slot slot : sessions.values()) {
      synchronized (slot) {
        if (slot.closed != null
            && ClosedSession.bucketOf(slot.closed.closedAt()) == bucket
            && slot.session.id().compareTo(afterId) > 0) {
          out.add(
              new ClosedSession(
                  slot.session.id(), slot.ownership.owner(), slot.closed.closedAt(), bucket));
        }
      }
    }
    out.sort(java.util.Comparator.comparing(ClosedSession::sessionId));
    return Future.succeededFuture(out.size() > limit ? out.subList(0, limit) : out);
  }

  @Override
  public Future<List<String>> openSessionsOf(String owner, String afterId, int limit) {
    java.util.TreeSet<String> ids = new java.util.TreeSet<>();
    for (Slot slot : sessions.values()) {
      synchronized (slot) {
        if (slot.closed == null
            && slot.ownership.owner().equals(owner)
            && slot.session.id().compareTo(afterId) > 0) {
          ids.add(slot.session.id());
        }
      }
    }
    return Future.succeededFuture(ids.stream().limit(limit).toList());
  }

  @Override
  public Future<Void> delete(String sessionId) {
    sessions.remove(sessionId);
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> shutdown() {
    return Future.succeededFuture();
  }

  private interface SlotOp<T> {
    T apply(Slot slot);
  }

  private <T> Future<T> withSlot(String sessionId, SlotOp<T> op) {
    Slot slot = sessions.get(sessionId);
    if (slot == null) {
      return Future.failedFuture(
          StoreException.of(StoreErrorKind.NOT_FOUND, "no such session: " + sessionId));
    }
    try {
      synchronized (slot) {
        return Future.succeededFuture(op.apply(slot));
      }
    } catch (StoreException e) {
      return Future.failedFuture(e);
    }
  }
}
