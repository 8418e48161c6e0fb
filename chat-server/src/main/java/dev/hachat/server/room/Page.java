package dev.hachat.server.room;

import dev.hachat.store.room.RoomEntry;
import java.util.List;

/** One page of a room's history, in the order asked for; {@code more}: entries are left. */
public record Page(List<RoomEntry> entries, boolean more) {}
