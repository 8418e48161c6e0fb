package dev.hachat.interaction.agents;

/**
 * The agent API's frame names (docs/agent-api.md). The envelope is the ESP port's ({@link
 * dev.hachat.esp.protocol.EspFrames}): requests with an {@code id} and an {@code op}, one reply
 * each, and events.
 */
public final class AgentFrames {
  /** The WebSocket path of the agent API. */
  public static final String PATH = "/agent";

  /** Close code of a connection that another login of the same agent replaced. */
  public static final short CLOSE_REPLACED = 4009;

  public static final String OP_LOGIN = "login";
  public static final String OP_SET_STATE = "setState";
  public static final String OP_ACCEPT = "accept";
  public static final String OP_REJECT = "reject";
  public static final String OP_SEND = "send";
  public static final String OP_TYPING = "typing";
  public static final String OP_REFRESH = "refresh";
  public static final String OP_LEAVE = "leave";
  public static final String OP_CLOSE = "close";
  public static final String OP_STATUS = "status";
  public static final String OP_STOP_INTERACTION = "stopInteraction";
  public static final String OP_PING = "ping";

  public static final String EVENT_OFFER = "offer";
  public static final String EVENT_OFFER_REVOKED = "offerRevoked";
  public static final String EVENT_STATE = "state";
  public static final String EVENT_ENTRY = "entry";
  public static final String EVENT_NOTICE = "notice";
  public static final String EVENT_CHAT_CLOSED = "chatClosed";

  /** Notice code: the chat was restored on another instance; the stream goes on. */
  public static final String NOTICE_RESTORED = "RESTORED";

  private AgentFrames() {}
}
