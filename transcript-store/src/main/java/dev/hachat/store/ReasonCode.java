package dev.hachat.store;

import java.util.Optional;

/**
 * Why a chat ended ({@link CloseInfo#reason()}, {@code interactions.close_reason}) and why a
 * participant's part in it ended (the {@code text} of its {@link EntryType#PARTICIPANT_LEFT} entry,
 * {@code interaction_participants.leave_reason}). The one list of these codes: the engine closes
 * chats and records leaves with nothing else, and {@link #name()} is the stable code stored and
 * shown to clients. docs/ucs.md explains each one.
 *
 * <p>{@link #endsChat()} codes appear as close reasons, {@link #endsPart()} codes as leave reasons;
 * some are both (the customer leaving ends the chat, and the agent closing it ends the agent's part
 * too). A participant still in the chat when it closed has no leave entry: its part ended with the
 * close, and the contact history records the close reason for it.
 */
public enum ReasonCode {
  /** The customer left (webapi disconnect); that ends the chat. */
  CUSTOMER_LEFT(true, true),
  /** The agent ended the chat (ESP close): the agent leaves, then the chat closes. */
  AGENT_CLOSED(true, true),
  /** The agent left without ending the chat; the chat goes back to the queue. */
  AGENT_LEFT(false, true),
  /** The agent handed the chat to another agent (a transfer); the chat goes on. */
  TRANSFERRED_OUT(false, true),
  /** A supervisor or external party left; the chat goes on while a party is left. */
  LEFT(false, true),
  /**
   * The participant's connection was lost for good and it was taken out on its behalf. Not recorded
   * yet: the interaction server's leave after its disconnect grace arrives as a plain ESP leave
   * ({@link #AGENT_LEFT}); the code is here so that the ESP side can name it later.
   */
  DISCONNECTED(false, true),
  /**
   * A participant dropped when the chat was restored on another instance. Never recorded today: a
   * restore keeps every participant, with its key (it only appends a restore notice), so nobody is
   * dropped. Kept so that the list covers it should a restore ever drop one.
   */
  REMOVED_DURING_RESTORE(false, true),
  /** No customer, agent or external party is left (observers do not count). */
  ALL_LEFT(true, false),
  /** No message for {@code timeout-alert} plus {@code timeout-close}. */
  INACTIVITY(true, false),
  /** No customer message within {@code session.no-customer-message-timeout} of the creation. */
  NO_CUSTOMER_MESSAGE(true, false),
  /** The interaction side (workflow, supervisor) stopped the chat. */
  INTERACTION_STOPPED(true, false),
  /**
   * Its owner died and nobody resumed it within {@code ha.orphan-close-after}: the heir adopted and
   * closed it.
   */
  OWNER_LOST(true, false),
  /** Saving failed for good under {@code transcript-save-on-error: close}. */
  STORE_ERROR(true, false),
  /**
   * Not an end of the chat: what a copy that stopped serving it (taken over, handed over) tells its
   * connected parties, so they reconnect to the new owner. Never stored, never in the contact
   * history.
   */
  MOVED(false, false);

  private final boolean endsChat;
  private final boolean endsPart;

  ReasonCode(boolean endsChat, boolean endsPart) {
    this.endsChat = endsChat;
    this.endsPart = endsPart;
  }

  /** Whether this code is a close reason of a chat. */
  public boolean endsChat() {
    return endsChat;
  }

  /** Whether this code is the reason of a participant's leave. */
  public boolean endsPart() {
    return endsPart;
  }

  /**
   * The reason recorded when a participant of this kind leaves without naming one (the webapi
   * disconnect, ESP leave): {@link #CUSTOMER_LEFT}, {@link #AGENT_LEFT}, else {@link #LEFT}. Also
   * the reason read for a leave entry written before reason codes (empty text).
   */
  public static ReasonCode defaultLeave(ParticipantType type) {
    return switch (type) {
      case CLIENT -> CUSTOMER_LEFT;
      case AGENT -> AGENT_LEFT;
      default -> LEFT;
    };
  }

  /** The code named {@code code}, if it is one (stored data may hold codes of other versions). */
  public static Optional<ReasonCode> parse(String code) {
    if (code == null) {
      return Optional.empty();
    }
    for (ReasonCode r : values()) {
      if (r.name().equals(code)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /**
   * Why the participant of a {@link EntryType#PARTICIPANT_LEFT} entry left: the code in its text,
   * or, for an entry written before reason codes (empty text), {@link #defaultLeave} of its kind. A
   * text that is no code (a later version's) is returned as it is.
   */
  public static String leaveReasonOf(Entry left) {
    if (left.type() != EntryType.PARTICIPANT_LEFT) {
      throw new IllegalArgumentException("not a ParticipantLeft entry: " + left.type());
    }
    return left.text().isEmpty() ? defaultLeave(left.participantType()).name() : left.text();
  }
}
