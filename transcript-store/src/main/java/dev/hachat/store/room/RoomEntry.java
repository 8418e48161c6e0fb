package dev.hachat.store.room;

import java.util.Objects;

/**
 * One entry of a room's history. Append-only: once saved it never changes.
 *
 * @param index its position, 1, 2, 3 … per room without gaps
 * @param type what it is
 * @param memberId who wrote it (the member joined or left); null for a system notice
 * @param nickname the writer's nickname then; null for a system notice
 * @param text the message, the notice; for joins and leaves the role or the reason
 * @param utcTime epoch milliseconds
 * @param clientMessageId the sender's idempotency key of a message, else null
 */
public record RoomEntry(
    long index,
    RoomEntryType type,
    String memberId,
    String nickname,
    String text,
    long utcTime,
    String clientMessageId) {
  public RoomEntry {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(text, "text");
    if (index < 1) {
      throw new IllegalArgumentException("index must be >= 1: " + index);
    }
  }
}
