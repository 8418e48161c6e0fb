package dev.hachat.store;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Objects;

/**
 * A participant as the store keeps it, so a restoring instance can authenticate the same people
 * again. The secure key itself is never stored, only its SHA-256 hash.
 *
 * <p>Stored as JSON (Cassandra, PostgreSQL's {@code chat_sessions.participants}); fields this
 * version does not know are ignored when it reads one, so a later version may add some.
 *
 * @param id participant id, unique within the session
 * @param type participant kind
 * @param nickname display name
 * @param secureKeyHash base64 SHA-256 of the participant's secure key
 * @param joinedAt milliseconds since the epoch, UTC
 * @param left whether the participant has left the session
 * @param agentId the login id of the agent who accepted the chat as this participant, or {@code
 *     null} (not an agent, or joined without one); for the contact history's statistics per agent,
 *     never shown to other participants (the transcript names no account); not written when null
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ParticipantRecord(
    String id,
    ParticipantType type,
    String nickname,
    String secureKeyHash,
    long joinedAt,
    boolean left,
    @JsonInclude(JsonInclude.Include.NON_NULL) String agentId) {

  public ParticipantRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(secureKeyHash, "secureKeyHash");
    nickname = nickname == null ? "" : nickname;
  }

  /** A participant without an agent id. */
  public ParticipantRecord(
      String id,
      ParticipantType type,
      String nickname,
      String secureKeyHash,
      long joinedAt,
      boolean left) {
    this(id, type, nickname, secureKeyHash, joinedAt, left, null);
  }

  public ParticipantRecord withLeft() {
    return new ParticipantRecord(id, type, nickname, secureKeyHash, joinedAt, true, agentId);
  }

  /** The same participant with a new secure key (its hash). */
  public ParticipantRecord withSecureKeyHash(String newHash) {
    return new ParticipantRecord(id, type, nickname, newHash, joinedAt, left, agentId);
  }

  public ParticipantRecord withNickname(String newNickname) {
    return new ParticipantRecord(id, type, newNickname, secureKeyHash, joinedAt, left, agentId);
  }
}
