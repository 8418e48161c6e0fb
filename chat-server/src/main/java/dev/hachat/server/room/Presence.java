package dev.hachat.server.room;

import dev.hachat.store.room.RoomEntry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Who is present in one room: the connections that entered it, each with its member id and
 * listener. Confined to the room's context (the room asserts it); {@link #count()} any thread.
 */
final class Presence {
  private record Seat(String memberId, RoomListener listener) {}

  private final String roomId;
  private final Map<Object, Seat> seats = new LinkedHashMap<>();
  private volatile int count;

  Presence(String roomId) {
    this.roomId = roomId;
  }

  /** Adds a connection's seat under {@code key} (replacing one of the same key). */
  void add(Object key, String memberId, RoomListener listener) {
    seats.put(key, new Seat(memberId, listener));
    changed();
  }

  /** Removes a seat; false if it was not there. */
  boolean remove(Object key) {
    boolean gone = seats.remove(key) != null;
    if (gone) {
      changed();
    }
    return gone;
  }

  /** Removes every seat of {@code memberId} (it left the room). */
  void removeMember(String memberId) {
    if (seats.values().removeIf(s -> s.memberId().equals(memberId))) {
      changed();
    }
  }

  /** The present member ids, each once, in order of arrival. */
  List<String> members() {
    return new ArrayList<>(
        new LinkedHashSet<>(seats.values().stream().map(Seat::memberId).toList()));
  }

  void entry(RoomEntry e) {
    each(l -> l.onEntry(roomId, e));
  }

  /** Tells everybody the room moved and empties the presence. */
  void moved(String instanceId, String esp) {
    each(l -> l.onMoved(roomId, instanceId, esp));
    seats.clear();
    count = 0;
  }

  int count() {
    return count;
  }

  private void changed() {
    count = seats.size();
    List<String> now = members();
    each(l -> l.onPresence(roomId, now));
  }

  private void each(Consumer<RoomListener> call) {
    for (Seat s : List.copyOf(seats.values())) {
      try {
        call.accept(s.listener());
      } catch (RuntimeException e) {
        // a listener's failure is its connection's; the room goes on
      }
    }
  }
}
