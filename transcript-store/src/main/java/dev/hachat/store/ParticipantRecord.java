package dev.hachat.store;

import java.util.Objects;

/**
 * A participant as the store keeps it, so a restoring instance can authenticate the same people
 * again. The secure key itself is never stored, only its SHA-256 hash.
 *
 * @param id participant id, unique within the session
 * @param type participant kind
 * @param nickname display name
 * @param secureKeyHash base64 SHA-256 of the participant's secure key
 * @param joinedAt milliseconds since the epoch, UTC
 * @param left whether the participant has left the session
 */
public record ParticipantRecord(
    String id,
    ParticipantType type,
    String nickname,
    String secureKeyHash,
    long joinedAt,
    boolean left) {

  public ParticipantRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(secureKeyHash, "secureKeyHash");
    nickname = nickname == null ? "" : nickname;
  }

  public ParticipantRecord withLeft() {
    return new ParticipantRecord(id, type, nickname, secureKeyHash, joinedAt, true);
  }

  /** The same participant with a new secure key (its hash). */
  public ParticipantRecord withSecureKeyHash(String newHash) {
    return new ParticipantRecord(id, type, nickname, newHash, joinedAt, left);
  }

  public ParticipantRecord withNickname(String newNickname) {
    return new ParticipantRecord(id, type, newNickname, secureKeyHash, joinedAt, left);
  }
}
