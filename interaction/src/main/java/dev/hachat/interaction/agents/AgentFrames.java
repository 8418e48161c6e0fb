package dev.hachat.interaction.agents;

import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.Offer;
import io.vertx.core.json.JsonObject;

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

  public static final String OP_TRANSFER = "transfer";
  public static final String OP_INVITE = "invite";
  public static final String OP_JOIN = "join";
  public static final String OP_DECLINE = "decline";
  public static final String OP_CONSULT = "consult";
  public static final String OP_MONITOR = "monitor";
  public static final String OP_UNMONITOR = "unmonitor";
  public static final String OP_BARGE_IN = "bargeIn";

  /** Another agent invites this one into a chat (conference or consult). */
  public static final String EVENT_INVITE = "invite";

  /**
   * A chat this agent is in (as a consultant) was transferred to it: it is the chat's agent now,
   * and its lines are seen by the customer.
   */
  public static final String EVENT_TRANSFERRED = "transferred";

  /** An invitation lapsed ({@code timeout}). */
  public static final String EVENT_INVITE_REVOKED = "inviteRevoked";

  /**
   * User-data key of a chat transferred to one agent: the router offers it to that agent first when
   * it waits again (docs/agent-api.md, Transfer).
   */
  public static final String TRANSFER_TO_KEY =
      dev.hachat.interaction.routing.Router.TRANSFER_TO_KEY;

  private AgentFrames() {}

  /** An agent as the {@code login} and {@code setState} replies and {@code status} show it. */
  public static JsonObject agent(AgentView a) {
    return new JsonObject()
        .put("agentId", a.agentId())
        .put("state", a.state().wireName())
        .put("reason", a.reason())
        .put("chats", a.chats())
        .put("capacity", a.capacity())
        .put("online", a.online())
        .put("stateMs", a.stateMs())
        .put("chatIds", new io.vertx.core.json.JsonArray(a.chatIds()));
  }

  /** An {@value #EVENT_OFFER} event's body. */
  public static JsonObject offer(Offer o) {
    dev.hachat.interaction.routing.ChatInfo c = o.chat();
    return new JsonObject()
        .put("offerId", o.offerId())
        .put("timeoutMs", o.expiresInMs())
        .put(
            "chat",
            new JsonObject()
                .put("chatId", c.chatId())
                .put("queue", c.queue())
                .put("customer", c.customer())
                .put("subject", c.subject())
                .put(
                    "userData",
                    new JsonObject(new java.util.LinkedHashMap<String, Object>(c.userData())))
                .put("createdAt", c.createdAt()));
  }
}
