package dev.hachat.store;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The figures of one closed chat that the contact history keeps with its final transcript
 * (docs/ucs.md, "Statistics"). {@link #of} computes them from the stored session alone (creation,
 * participants, transcript, user data, close), so any instance that writes the final transcript,
 * after any number of restores, finds the same figures.
 *
 * <p>Times are the instances' clocks as recorded in the store; a duration that comes out negative
 * (the clocks of two instances a chat lived on disagree) counts as 0.
 *
 * @param queueWaitMillis creation to the first agent's join; {@code null} if no agent joined
 * @param timeToAnswerMillis the first agent's join to the first message of an agent; {@code null}
 *     if no agent wrote
 * @param agents the agents who took part (by agent id; a seat without one counts on its own)
 * @param transfers agent leaves with reason {@link ReasonCode#TRANSFERRED_OUT}
 * @param restores restore notices ({@link RestoreNotice}): restores after an interruption and after
 *     a hand-over
 * @param offers user data {@value #OFFERS_KEY} at the close (set by the interaction server), 0 if
 *     absent
 * @param rejects user data {@value #REJECTS_KEY} at the close, 0 if absent
 * @param participants one per participant, in join order
 */
public record ChatStatistics(
    Long queueWaitMillis,
    Long timeToAnswerMillis,
    int agents,
    int transfers,
    int restores,
    int offers,
    int rejects,
    List<Part> participants) {

  /** User-data key: how many times the chat was offered to an agent. */
  public static final String OFFERS_KEY = "hachat.offers";

  /**
   * User-data key: how many of those offers an agent rejected (offers left to time out count in the
   * offers only). Written by the interaction server at each accept, so a chat abandoned in the
   * queue before any accept has neither key.
   */
  public static final String REJECTS_KEY = "hachat.rejects";

  public ChatStatistics {
    participants = List.copyOf(participants);
  }

  /**
   * One participant's part in the chat.
   *
   * @param participantId its id in the chat
   * @param type its kind
   * @param agentId the agent's login id, or {@code null}
   * @param joinedAt when it joined
   * @param leftAt when it left, or the close if it was still there
   * @param leaveReason its leave's reason code, or the close reason if it was still there
   * @param handleMillis for an agent, {@code leftAt - joinedAt}; {@code null} for others
   */
  public record Part(
      String participantId,
      ParticipantType type,
      String agentId,
      long joinedAt,
      long leftAt,
      String leaveReason,
      Long handleMillis) {}

  /** The statistics of a closed chat. */
  public static ChatStatistics of(StoredSession s) {
    CloseInfo close = Objects.requireNonNull(s.closed(), "the chat is not closed");
    Map<String, Entry> leaves = new HashMap<>();
    Long firstAgentMessage = null;
    int transfers = 0;
    int restores = 0;
    for (Entry e : s.entries()) {
      if (e.type() == EntryType.PARTICIPANT_LEFT) {
        leaves.put(e.participantId(), e);
        if (e.participantType() == ParticipantType.AGENT
            && ReasonCode.TRANSFERRED_OUT.name().equals(ReasonCode.leaveReasonOf(e))) {
          transfers++;
        }
      } else if (e.type() == EntryType.MESSAGE
          && e.participantType() == ParticipantType.AGENT
          && e.visibility() == Visibility.ALL // a consult line is no answer to the customer
          && firstAgentMessage == null) {
        firstAgentMessage = e.utcTime();
      } else if (RestoreNotice.is(e)) {
        restores++;
      }
    }
    List<Part> parts = new ArrayList<>();
    Set<String> agents = new HashSet<>();
    Long firstAgentJoin = null;
    for (ParticipantRecord p : s.participantsInTranscript().values()) {
      Entry left = leaves.get(p.id());
      long leftAt = left != null ? left.utcTime() : close.closedAt();
      String reason = left != null ? ReasonCode.leaveReasonOf(left) : close.reason();
      boolean agent = p.type() == ParticipantType.AGENT;
      if (agent) {
        agents.add(p.agentId() != null ? "agent:" + p.agentId() : "seat:" + p.id());
        firstAgentJoin =
            firstAgentJoin == null ? p.joinedAt() : Math.min(firstAgentJoin, p.joinedAt());
      }
      parts.add(
          new Part(
              p.id(),
              p.type(),
              p.agentId(),
              p.joinedAt(),
              leftAt,
              reason,
              agent ? duration(p.joinedAt(), leftAt) : null));
    }
    Map<String, String> data = s.userData();
    return new ChatStatistics(
        firstAgentJoin == null ? null : duration(s.session().createdAt(), firstAgentJoin),
        firstAgentJoin == null || firstAgentMessage == null
            ? null
            : duration(firstAgentJoin, firstAgentMessage),
        agents.size(),
        transfers,
        restores,
        count(data.get(OFFERS_KEY)),
        count(data.get(REJECTS_KEY)),
        parts);
  }

  private static long duration(long from, long to) {
    return Math.max(0, to - from);
  }

  /** A count from user data: a non-negative decimal integer, else 0 (absent or malformed). */
  static int count(String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(value.trim()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
