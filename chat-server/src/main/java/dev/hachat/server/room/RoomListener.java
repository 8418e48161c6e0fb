package dev.hachat.server.room;

import dev.hachat.store.room.RoomEntry;
import java.util.List;

/**
 * What a present member's connection hears from a room. Called on the room's context: return
 * quickly (queue the frame), never block.
 */
public interface RoomListener {
  /** A new entry, saved and committed, in index order. */
  void onEntry(String roomId, RoomEntry entry);

  /** Who is present now (member ids, each once). */
  void onPresence(String roomId, List<String> present);

  /**
   * The room left this instance (handed over, or fenced): enter it at {@code instanceId} ({@code
   * esp} its ESP address; either may be null when not known: ask any instance).
   */
  void onMoved(String roomId, String instanceId, String esp);
}
