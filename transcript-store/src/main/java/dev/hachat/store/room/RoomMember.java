package dev.hachat.store.room;

import java.util.Objects;

/**
 * A persistent member of a room.
 *
 * @param memberId the member's login id (its ESP agent id)
 * @param role its role
 * @param joinedAt epoch milliseconds
 */
public record RoomMember(String memberId, RoomRole role, long joinedAt) {
  public RoomMember {
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(role, "role");
  }
}
