package dev.hachat.store.impl.memory;

import dev.hachat.store.Ownership;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import dev.hachat.store.room.StoredRoom;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Function;

/**
 * The in-memory room store (unit tests and single-process use). Thread-safe: each room's state is
 * guarded by its slot's monitor, held only for the update itself, never across a callback.
 */
public final class MemoryRoomStore implements RoomStore {
  private final ConcurrentSkipListMap<String, Slot> rooms = new ConcurrentSkipListMap<>();

  /** One room; every field guarded by the slot's monitor. */
  private static final class Slot {
    final RoomRecord room;
    Ownership host;
    final Map<String, RoomMember> members = new LinkedHashMap<>();
    final TreeMap<Long, RoomEntry> entries = new TreeMap<>();

    Slot(RoomRecord room, Ownership host) {
      this.room = room;
      this.host = host;
    }

    StoredRoom snapshot() {
      return new StoredRoom(room, host, members, entries.isEmpty() ? 0 : entries.lastKey());
    }
  }

  @Override
  public Future<Ownership> create(RoomRecord room, RoomMember creator, String host) {
    Ownership o = new Ownership(room.id(), host, 1, 0, false);
    Slot slot = new Slot(room, o);
    slot.members.put(creator.memberId(), creator);
    if (rooms.putIfAbsent(room.id(), slot) != null) {
      return Future.failedFuture(
          StoreException.of(StoreErrorKind.ALREADY_EXISTS, "room exists: " + room.id()));
    }
    return Future.succeededFuture(o);
  }

  @Override
  public Future<StoredRoom> load(String roomId) {
    return locked(roomId, Slot::snapshot);
  }

  @Override
  public Future<Void> append(
      String roomId,
      long epoch,
      List<RoomEntry> entries,
      List<RoomMember> members,
      List<String> removed) {
    return locked(
        roomId,
        s -> {
          if (s.host.epoch() != epoch) {
            throw StoreException.of(
                StoreErrorKind.FENCED,
                "epoch " + epoch + " of room " + roomId + " superseded by " + s.host.epoch());
          }
          if (!entries.isEmpty() && !s.entries.tailMap(entries.get(0).index(), true).isEmpty()) {
            throw StoreException.of(
                StoreErrorKind.CONFLICT, "room " + roomId + " holds entries from that index on");
          }
          entries.forEach(e -> s.entries.put(e.index(), e));
          members.forEach(m -> s.members.put(m.memberId(), m));
          removed.forEach(s.members::remove);
          return null;
        });
  }

  @Override
  public Future<List<RoomEntry>> read(String roomId, long position, boolean forward, int limit) {
    return locked(
        roomId,
        s -> {
          NavigableMap<Long, RoomEntry> part =
              forward
                  ? s.entries.tailMap(position, false)
                  : s.entries.headMap(position, false).descendingMap();
          return part.values().stream().limit(limit).toList();
        });
  }

  @Override
  public Future<Ownership> claim(
      String roomId, long expectedEpoch, String newHost, long baseIndex) {
    return locked(
        roomId,
        s -> {
          if (s.host.epoch() != expectedEpoch) {
            throw StoreException.conflict(s.host);
          }
          s.host = new Ownership(roomId, newHost, expectedEpoch + 1, baseIndex, false);
          s.entries.tailMap(baseIndex, false).clear();
          return s.host;
        });
  }

  @Override
  public Future<Void> release(String roomId, long epoch) {
    return locked(
        roomId,
        s -> {
          if (s.host.epoch() != epoch) {
            throw StoreException.conflict(s.host);
          }
          s.host = new Ownership(roomId, s.host.owner(), epoch, s.host.baseIndex(), true);
          return null;
        });
  }

  @Override
  public Future<List<String>> roomsOf(String host, String afterId, int limit) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Slot> e : rooms.tailMap(afterId, false).entrySet()) {
      if (out.size() >= limit) {
        break;
      }
      synchronized (e.getValue()) {
        if (e.getValue().host.owner().equals(host)) {
          out.add(e.getKey());
        }
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Map<String, Integer>> roomsPerHost() {
    Map<String, Integer> out = new TreeMap<>();
    for (Slot s : rooms.values()) {
      synchronized (s) {
        out.merge(s.host.owner(), 1, Integer::sum);
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<List<String>> roomsOfMember(String memberId) {
    List<String> out = new ArrayList<>();
    for (Slot s : rooms.values()) {
      synchronized (s) {
        if (s.members.containsKey(memberId)) {
          out.add(s.room.id());
        }
      }
    }
    return Future.succeededFuture(out);
  }

  @Override
  public Future<Void> shutdown() {
    return Future.succeededFuture();
  }

  private <T> Future<T> locked(String roomId, Function<Slot, T> op) {
    Slot s = rooms.get(roomId);
    if (s == null) {
      return Future.failedFuture(
          StoreException.of(StoreErrorKind.NOT_FOUND, "no such room: " + roomId));
    }
    try {
      synchronized (s) {
        return Future.succeededFuture(op.apply(s));
      }
    } catch (StoreException e) {
      return Future.failedFuture(e);
    }
  }
}
