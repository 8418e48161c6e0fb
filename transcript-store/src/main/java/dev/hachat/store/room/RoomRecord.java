package dev.hachat.store.room;

import java.util.Objects;

/**
 * What a room is, fixed at its creation.
 *
 * @param id the room id (random, URL-safe)
 * @param name its name
 * @param topic its topic (may be empty)
 * @param inviteOnly true: only an owner or moderator adds members
 * @param memberLimit the most members it may have
 * @param createdBy the login id of its creator, its owner
 * @param createdAt epoch milliseconds
 */
public record RoomRecord(
    String id,
    String name,
    String topic,
    boolean inviteOnly,
    int memberLimit,
    String createdBy,
    long createdAt) {
  public RoomRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(createdBy, "createdBy");
    if (memberLimit < 1) {
      throw new IllegalArgumentException("memberLimit must be >= 1: " + memberLimit);
    }
  }
}
