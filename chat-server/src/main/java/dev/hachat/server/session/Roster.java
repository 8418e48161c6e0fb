package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.ParticipantType;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who is in a session, in join order, and whether a caller is who it says. Confined to the
 * session's loop, like the session.
 */
final class Roster {
  private static final String UNKNOWN_HASH = Secrets.hash(Secrets.newSecureKey());

  private final Map<String, ParticipantRecord> byId = new LinkedHashMap<>();

  void putAll(Map<String, ParticipantRecord> participants) {
    byId.putAll(participants);
  }

  /** Adds or replaces a participant's record (a join, a leave). */
  void put(ParticipantRecord p) {
    byId.put(p.id(), p);
  }

  /** The agent still in the chat whose join carried {@code tag}, or null. */
  ParticipantRecord agentTagged(String tag, java.util.function.UnaryOperator<String> joinTagOf) {
    return byId.values().stream()
        .filter(p -> p.type() == ParticipantType.AGENT && !p.left())
        .filter(p -> tag.equals(joinTagOf.apply(p.id())))
        .findFirst()
        .orElse(null);
  }

  /** The agents still in the chat. */
  java.util.List<ParticipantRecord> agents() {
    return byId.values().stream()
        .filter(p -> p.type() == ParticipantType.AGENT && !p.left())
        .toList();
  }

  /** The agent in the chat, or null. */
  ParticipantRecord activeAgent() {
    return byId.values().stream()
        .filter(p -> p.type() == ParticipantType.AGENT && !p.left())
        .findFirst()
        .orElse(null);
  }

  /**
   * TOO_MANY_PARTICIPANTS when the chat is full; ALREADY_TAKEN for a second agent while {@code
   * agentThere} (a visible agent works on it) unless it is invited in ({@code exclusive} false: a
   * conference or consult).
   */
  void checkRoom(ParticipantType type, int maxParticipants, boolean exclusive, boolean agentThere) {
    if (present() >= maxParticipants) {
      throw new ChatException(ErrorCode.TOO_MANY_PARTICIPANTS, "the chat is full");
    }
    if (exclusive && type == ParticipantType.AGENT && agentThere) {
      throw new ChatException(ErrorCode.ALREADY_TAKEN, "another agent has accepted this chat");
    }
  }

  /**
   * A new participant with an id not used in this session yet; {@code agentId} is the login id it
   * joined with, or null.
   */
  ParticipantRecord add(
      ParticipantType type, String nickname, String keyHash, long joinedAt, String agentId) {
    ParticipantRecord p =
        new ParticipantRecord(newId(), type, nickname, keyHash, joinedAt, false, agentId);
    put(p);
    return p;
  }

  private String newId() {
    String pid;
    do {
      pid = Secrets.newParticipantId();
    } while (byId.containsKey(pid));
    return pid;
  }

  /**
   * The participant whose id and key match, else FORBIDDEN. A key is checked even for an unknown
   * id, so timing does not reveal which ids exist.
   */
  ParticipantRecord authenticate(String participantId, String secureKey) {
    ParticipantRecord p = participantId == null ? null : byId.get(participantId);
    String hash = p != null ? p.secureKeyHash() : UNKNOWN_HASH;
    if (!Secrets.matches(secureKey, hash) || p == null) {
      throw new ChatException(ErrorCode.FORBIDDEN, "participant id and secure key do not match");
    }
    return p;
  }

  /** Participants that have not left. */
  long present() {
    return byId.values().stream().filter(p -> !p.left()).count();
  }

  boolean hasAgent() {
    return byId.values().stream().anyMatch(p -> p.type() == ParticipantType.AGENT && !p.left());
  }

  /** Whether a customer, agent or external party is still there (observers do not count). */
  boolean anyPartyLeft() {
    return byId.values().stream()
        .anyMatch(
            q ->
                !q.left()
                    && (q.type() == ParticipantType.CLIENT
                        || q.type() == ParticipantType.AGENT
                        || q.type() == ParticipantType.EXTERNAL));
  }

  /** The first customer's nickname, or empty. */
  String customerNickname() {
    return byId.values().stream()
        .filter(p -> p.type() == ParticipantType.CLIENT)
        .map(ParticipantRecord::nickname)
        .findFirst()
        .orElse("");
  }

  Collection<ParticipantRecord> all() {
    return byId.values();
  }
}
