package dev.hachat.store;

import java.util.List;
import java.util.Map;

/**
 * A session as loaded from a store: enough to rebuild it on any instance.
 *
 * @param session creation data
 * @param ownership current owner and epoch
 * @param participants by participant id, in join order
 * @param entries the transcript, ordered by index, gap-free from 1
 * @param closed how it ended, or {@code null} while it is open
 */
public record StoredSession(
    SessionRecord session,
    Ownership ownership,
    Map<String, ParticipantRecord> participants,
    List<Entry> entries,
    CloseInfo closed) {

  public long lastIndex() {
    return entries.isEmpty() ? 0 : entries.get(entries.size() - 1).index();
  }

  /** The current user data: the creation data overlaid with every update, in index order. */
  public Map<String, String> userData() {
    return UserData.current(session.userData(), entries);
  }

  public boolean isClosed() {
    return closed != null;
  }
}
