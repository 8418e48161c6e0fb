package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.Visibility;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's committed transcript (index {@code i} at position {@code i - 1}) and the index each
 * sender's {@code clientMessageId} got, so a resend is answered instead of repeated. Confined to
 * the session's loop.
 */
final class CommittedEntries {
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, Long> sentIds = new HashMap<>();

  /** Takes over a stored transcript, send ids included. */
  void restore(List<Entry> stored) {
    for (Entry e : stored) {
      entries.add(e);
      if (e.clientMessageId() != null) {
        rememberSend(e.participantId(), e.clientMessageId(), e.index());
      }
    }
  }

  void add(Entry entry) {
    entries.add(entry);
  }

  /** The index a send got, or {@code null} if this id is new for this sender. */
  Long sentIndex(String participantId, String clientMessageId) {
    return sentIds.get(participantId + '\n' + clientMessageId);
  }

  void rememberSend(String participantId, String clientMessageId, long index) {
    sentIds.put(participantId + '\n' + clientMessageId, index);
  }

  /** The committed entry at {@code index}, or {@code null} if it is not committed. */
  Entry get(long index) {
    return index >= 1 && index <= entries.size() ? entries.get((int) index - 1) : null;
  }

  Entry last() {
    return entries.isEmpty() ? null : entries.get(entries.size() - 1);
  }

  /** The entries after {@code after}; BAD_REQUEST for a negative position. */
  List<Entry> after(long after) {
    if (after < 0) {
      throw ChatException.badRequest("position must be >= 0");
    }
    int from = (int) Math.min(after, entries.size());
    return List.copyOf(entries.subList(from, entries.size()));
  }

  long nextPosition() {
    return entries.size() + 1L;
  }

  List<Entry> all() {
    return List.copyOf(entries);
  }

  /**
   * Who sees the participant's seat: the visibility of its last join (a consulted agent or an
   * observing supervisor comes and goes unseen by the customer; a consultant that took the chat
   * over has a second, visible join). Its typing and its leave are shown to the same.
   */
  Visibility joinVisibility(String participantId) {
    for (int i = entries.size() - 1; i >= 0; i--) {
      Entry e = entries.get(i);
      if (e.type() == EntryType.PARTICIPANT_JOINED && participantId.equals(e.participantId())) {
        return e.visibility();
      }
    }
    return Visibility.ALL;
  }

  /** The {@code clientMessageId} of the participant's join entry (its holder tag), or null. */
  String joinTag(String participantId) {
    for (Entry e : entries) {
      if (e.type() == EntryType.PARTICIPANT_JOINED && participantId.equals(e.participantId())) {
        return e.clientMessageId();
      }
    }
    return null;
  }
}
