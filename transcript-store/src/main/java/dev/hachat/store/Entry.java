package dev.hachat.store;

import java.util.Objects;

/**
 * One transcript entry. {@code index} is per session, starts at 1 and only grows; it is the
 * position clients resume from ("everything after index N").
 *
 * @param index position in the session's transcript, 1-based, gap-free
 * @param type what happened
 * @param participantId who did it ({@code "system"} for server notices)
 * @param nickname the participant's nickname at the time
 * @param participantType the participant's kind
 * @param text message or notice text; for a leave its {@link ReasonCode} (empty in leaves written
 *     before reason codes); empty for joins and typing
 * @param utcTime milliseconds since the epoch, UTC
 * @param clientMessageId the sender's idempotency key for messages; a tag on an agent's join and a
 *     restore notice ({@link RestoreNotice}); else {@code null}
 * @param visibility who may read it: {@link Visibility#ALL}, or agents and supervisors only
 */
public record Entry(
    long index,
    EntryType type,
    String participantId,
    String nickname,
    ParticipantType participantType,
    String text,
    long utcTime,
    String clientMessageId,
    Visibility visibility) {

  /** An entry every participant may read. */
  public Entry(
      long index,
      EntryType type,
      String participantId,
      String nickname,
      ParticipantType participantType,
      String text,
      long utcTime,
      String clientMessageId) {
    this(
        index,
        type,
        participantId,
        nickname,
        participantType,
        text,
        utcTime,
        clientMessageId,
        Visibility.ALL);
  }

  public Entry {
    if (index < 1) {
      throw new IllegalArgumentException("index must be >= 1: " + index);
    }
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(participantId, "participantId");
    Objects.requireNonNull(participantType, "participantType");
    nickname = nickname == null ? "" : nickname;
    text = text == null ? "" : text;
    visibility = visibility == null ? Visibility.ALL : visibility;
  }

  /** Whether a participant of {@code type} may read this entry. */
  public boolean visibleTo(ParticipantType type) {
    return visibility.visibleTo(type);
  }
}
