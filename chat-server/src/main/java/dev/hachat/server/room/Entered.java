package dev.hachat.server.room;

import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import java.util.List;

/**
 * The answer to entering a room: what it is, its members, who is present, the first page of the
 * entries after the position asked for, and the hook to leave the presence again.
 *
 * @param nextPosition with {@code more}, the position after the last entry given (page on with
 *     {@code roomHistory after = nextPosition - 1}); else where new entries start, pushed as events
 * @param exit ends this presence (idempotent)
 */
public record Entered(
    RoomRecord room,
    List<RoomMember> members,
    List<String> present,
    List<RoomEntry> entries,
    long nextPosition,
    boolean more,
    Runnable exit) {}
