package dev.hachat.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A closed chat built by hand, entry by entry, on a clock of its own: times are milliseconds after
 * the creation ({@link #T0} unless given). For tests of what the contact history computes from a
 * transcript.
 */
public final class ChatTimeline {
  public static final long T0 = 1_700_000_000_000L;

  private final String chatId;
  private final long createdAt;

  private final Map<String, ParticipantRecord> participants = new LinkedHashMap<>();
  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, String> userData = new LinkedHashMap<>();

  /** Chat {@code chat-1}, created at {@link #T0}. */
  public ChatTimeline() {
    this("chat-1", T0);
  }

  /** Chat {@code chatId}, created at {@code createdAt}; times are then after {@code createdAt}. */
  public ChatTimeline(String chatId, long createdAt) {
    this.chatId = chatId;
    this.createdAt = createdAt;
  }

  public ChatTimeline joins(String id, ParticipantType type, long at) {
    return joins(id, type, null, at);
  }

  public ChatTimeline joins(String id, ParticipantType type, String agentId, long at) {
    participants.put(
        id,
        new ParticipantRecord(id, type, "nick-" + id, "h-" + id, createdAt + at, false, agentId));
    return add(EntryType.PARTICIPANT_JOINED, id, type, "", at, null);
  }

  public ChatTimeline says(String id, long at) {
    ParticipantRecord p = participants.get(id);
    return add(EntryType.MESSAGE, id, p.type(), "text at " + at, at, "m" + entries.size());
  }

  public ChatTimeline leaves(String id, String reasonText, long at) {
    ParticipantRecord p = participants.get(id).withLeft();
    participants.put(id, p);
    return add(EntryType.PARTICIPANT_LEFT, id, p.type(), reasonText, at, null);
  }

  public ChatTimeline leaves(String id, ReasonCode reason, long at) {
    return leaves(id, reason.name(), at);
  }

  /** A restore notice as this version writes it (tagged). */
  public ChatTimeline restored(boolean handedOver, long at) {
    return add(
        EntryType.NOTICE,
        "system",
        ParticipantType.SYSTEM,
        RestoreNotice.text(handedOver),
        at,
        RestoreNotice.tag(handedOver));
  }

  public ChatTimeline notice(String text, long at) {
    return add(EntryType.NOTICE, "system", ParticipantType.SYSTEM, text, at, null);
  }

  public ChatTimeline data(String key, String value) {
    userData.put(key, value);
    return this;
  }

  public StoredSession closes(ReasonCode reason, long at) {
    return closes(reason.name(), at);
  }

  public StoredSession closes(String reason, long at) {
    return new StoredSession(
        new SessionRecord(chatId, createdAt, "subject", userData),
        new Ownership(chatId, "cs1", 1, 0, false),
        participants,
        entries,
        new CloseInfo(reason, createdAt + at));
  }

  private ChatTimeline add(
      EntryType type, String id, ParticipantType pt, String text, long at, String clientMessageId) {
    String nick = participants.containsKey(id) ? participants.get(id).nickname() : "system";
    entries.add(
        new Entry(entries.size() + 1, type, id, nick, pt, text, createdAt + at, clientMessageId));
    return this;
  }
}
