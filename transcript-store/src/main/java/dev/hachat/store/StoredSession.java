package dev.hachat.store;

import dev.hachat.common.text.StorableText;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
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

  /**
   * The participant records that the transcript bears out: those whose {@code ParticipantJoined}
   * entry is in it, marked left only if a {@code ParticipantLeft} entry of theirs follows their
   * last join. A record can be ahead of its transcript: written in a save whose entries a claim
   * then hid (R5: they landed past the claimant's base, from the old owner's last save), or by an
   * older instance that saved records and entries apart. Such a record stands for nothing
   * acknowledged, and kept it would hold a seat nobody has (a second accept refused ALREADY_TAKEN,
   * a chat that never waits again for an agent). Records of the transcript's participants otherwise
   * come back as stored (keys, nicknames, agent ids).
   */
  public Map<String, ParticipantRecord> participantsInTranscript() {
    Map<String, Boolean> leftAfterJoin = new HashMap<>();
    for (Entry e : entries) {
      if (e.type() == EntryType.PARTICIPANT_JOINED) {
        leftAfterJoin.put(e.participantId(), false);
      } else if (e.type() == EntryType.PARTICIPANT_LEFT
          && leftAfterJoin.containsKey(e.participantId())) {
        leftAfterJoin.put(e.participantId(), true);
      }
    }
    Map<String, ParticipantRecord> out = new LinkedHashMap<>();
    participants.forEach(
        (id, p) -> {
          Boolean left = leftAfterJoin.get(id);
          if (left != null) {
            out.put(
                id,
                left == p.left()
                    ? p
                    : new ParticipantRecord(
                        p.id(),
                        p.type(),
                        p.nickname(),
                        p.secureKeyHash(),
                        p.joinedAt(),
                        left,
                        p.agentId()));
          }
        });
    return out;
  }

  public boolean isClosed() {
    return closed != null;
  }

  /**
   * This session with every character a store cannot keep replaced by U+FFFD ({@link
   * StorableText#sanitize}) in its subject, user data, nicknames, entry texts and {@code
   * clientMessageId}s; the same object when there is none. For writing what can be kept of a
   * transcript a store refused ({@link StoreErrorKind#REJECTED}); input checks keep such text out
   * of new chats.
   */
  public StoredSession storable() {
    boolean clean =
        StorableText.firstUnstorable(session.subject()) < 0
            && session.userData().entrySet().stream()
                .allMatch(
                    e ->
                        StorableText.firstUnstorable(e.getKey()) < 0
                            && StorableText.firstUnstorable(e.getValue()) < 0)
            && participants.values().stream()
                .allMatch(
                    p ->
                        StorableText.firstUnstorable(p.nickname()) < 0
                            && StorableText.firstUnstorable(p.agentId()) < 0)
            && entries.stream()
                .allMatch(
                    e ->
                        StorableText.firstUnstorable(e.text()) < 0
                            && StorableText.firstUnstorable(e.nickname()) < 0
                            && StorableText.firstUnstorable(e.clientMessageId()) < 0);
    if (clean) {
      return this;
    }
    Map<String, String> data = new LinkedHashMap<>();
    session
        .userData()
        .forEach((k, v) -> data.put(StorableText.sanitize(k), StorableText.sanitize(v)));
    Map<String, ParticipantRecord> parts = new LinkedHashMap<>();
    participants.forEach(
        (id, p) ->
            parts.put(
                id,
                new ParticipantRecord(
                    p.id(),
                    p.type(),
                    StorableText.sanitize(p.nickname()),
                    p.secureKeyHash(),
                    p.joinedAt(),
                    p.left(),
                    p.agentId() == null ? null : StorableText.sanitize(p.agentId()))));
    List<Entry> cleanEntries = new ArrayList<>(entries.size());
    for (Entry e : entries) {
      cleanEntries.add(
          new Entry(
              e.index(),
              e.type(),
              e.participantId(),
              StorableText.sanitize(e.nickname()),
              e.participantType(),
              StorableText.sanitize(e.text()),
              e.utcTime(),
              StorableText.sanitize(e.clientMessageId()),
              e.visibility()));
    }
    return new StoredSession(
        new SessionRecord(
            session.id(), session.createdAt(), StorableText.sanitize(session.subject()), data),
        ownership,
        parts,
        cleanEntries,
        closed);
  }
}
