package dev.hachat.store.room;

import dev.hachat.store.Ownership;
import java.util.List;
import java.util.Map;

/**
 * A room as loaded from its store: the record, who hosts it at which epoch, its members, and the
 * index of its last entry (its history is read by pages, {@link
 * dev.hachat.store.spi.RoomStore#read}).
 *
 * @param members by member id, in joining order
 */
public record StoredRoom(
    RoomRecord room, Ownership host, Map<String, RoomMember> members, long lastIndex) {
  public StoredRoom {
    members = Map.copyOf(members);
  }

  /** The members in joining order. */
  public List<RoomMember> memberList() {
    return members.values().stream()
        .sorted(java.util.Comparator.comparingLong(RoomMember::joinedAt))
        .toList();
  }
}
