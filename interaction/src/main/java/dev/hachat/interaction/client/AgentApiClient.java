package dev.hachat.interaction.client;

import static dev.hachat.interaction.agents.AgentFrames.*;

import dev.hachat.esp.protocol.FrameChannel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;

/**
 * A desktop's client of the interaction server's agent API (docs/agent-api.md): one WebSocket,
 * requests answered by replies, and events ({@code offer}, {@code offerRevoked}, {@code state},
 * {@code entry}, {@code notice}, {@code chatClosed}) handed over as whole frames. A refused request
 * fails with a {@link dev.hachat.common.error.ChatException}. Thread-safe.
 */
public final class AgentApiClient {
  /** How long a request waits for its reply. */
  public static final long REQUEST_TIMEOUT_MS = 20_000;

  private final FrameChannel channel;

  private AgentApiClient(FrameChannel channel) {
    this.channel = channel;
  }

  /** Connects; {@code tlsTrustFile} empty: plain text. */
  public static Future<AgentApiClient> connect(
      Vertx vertx, String host, int port, String tlsTrustFile) {
    return FrameChannel.connect(vertx, host, port, PATH, tlsTrustFile, REQUEST_TIMEOUT_MS)
        .map(AgentApiClient::new);
  }

  /** Events as they come (the whole frame; its {@code event} names it). */
  public AgentApiClient onEvent(Consumer<JsonObject> handler) {
    channel.onEvent(handler);
    return this;
  }

  /** Called once when the connection closes, with its close code. */
  public AgentApiClient onClosed(Consumer<Short> handler) {
    channel.onClosed(handler);
    return this;
  }

  /**
   * Logs in with an account's password, or with a signed token ({@code password} null), or by id
   * alone against an interaction server running open (both null). The reply: the agent's state,
   * capacity and the chats it still works on.
   */
  public Future<JsonObject> login(String agentId, String nickname, String password, String token) {
    return login(agentId, nickname, password, token, java.util.List.of());
  }

  /**
   * As {@link #login(String, String, String, String)}, naming the chats this desktop works on:
   * after its interaction server was lost it logs in at another, which takes them back for it (a
   * chat that is not the agent's any more comes back as a {@code chatClosed} event, reason {@code
   * NOT_YOURS}).
   */
  public Future<JsonObject> login(
      String agentId,
      String nickname,
      String password,
      String token,
      java.util.Collection<String> chats) {
    JsonObject p = new JsonObject().put("agentId", agentId).put("nickname", nickname);
    if (!chats.isEmpty()) {
      p.put("chats", new io.vertx.core.json.JsonArray(java.util.List.copyOf(chats)));
    }
    if (password != null) {
      p.put("password", password);
    }
    if (token != null) {
      p.put("token", token);
    }
    return channel.request(OP_LOGIN, p);
  }

  /** {@code Ready}, {@code NotReady} (with a reason code) or {@code AfterCallWork}. */
  /** Any operation (the room operations of docs/rooms.md, say): its result, or a ChatException. */
  public Future<JsonObject> request(String op, JsonObject params) {
    return channel.request(op, params);
  }

  public Future<JsonObject> setState(String state, String reason) {
    return channel.request(
        OP_SET_STATE, new JsonObject().put("state", state).put("reason", reason));
  }

  /** Accepts an offer: the chat's transcript so far ({@code chatId}, {@code entries}, …). */
  public Future<JsonObject> accept(String offerId) {
    return channel.request(OP_ACCEPT, new JsonObject().put("offerId", offerId));
  }

  public Future<JsonObject> reject(String offerId) {
    return channel.request(OP_REJECT, new JsonObject().put("offerId", offerId));
  }

  public Future<JsonObject> send(String chatId, String clientMessageId, String text) {
    return channel.request(
        OP_SEND,
        new JsonObject()
            .put("chatId", chatId)
            .put("clientMessageId", clientMessageId)
            .put("text", text));
  }

  /** A consult line: read by the agents and supervisors in the chat, never by the customer. */
  public Future<JsonObject> consult(String chatId, String clientMessageId, String text) {
    return channel.request(
        OP_CONSULT,
        new JsonObject()
            .put("chatId", chatId)
            .put("clientMessageId", clientMessageId)
            .put("text", text));
  }

  /** Transfers the chat to a queue: it waits there again for the next agent. */
  public Future<JsonObject> transferToQueue(String chatId, String queue) {
    return channel.request(OP_TRANSFER, new JsonObject().put("chatId", chatId).put("queue", queue));
  }

  /** Transfers the chat to an agent: offered to it first, then to its queue. */
  public Future<JsonObject> transferToAgent(String chatId, String agentId) {
    return channel.request(
        OP_TRANSFER, new JsonObject().put("chatId", chatId).put("agentId", agentId));
  }

  /** Invites another agent into the chat: {@code conference} or {@code consult}. */
  public Future<JsonObject> invite(String chatId, String agentId, String mode) {
    return channel.request(
        OP_INVITE,
        new JsonObject().put("chatId", chatId).put("agentId", agentId).put("mode", mode));
  }

  /** A supervisor watches a chat, read-only; its entries come as events. */
  public Future<JsonObject> monitor(String chatId) {
    return channel.request(OP_MONITOR, new JsonObject().put("chatId", chatId));
  }

  /** A supervisor steps into a chat as an agent. */
  public Future<JsonObject> bargeIn(String chatId) {
    return channel.request(OP_BARGE_IN, new JsonObject().put("chatId", chatId));
  }

  /** Joins a chat this agent was invited to ({@code invite} event). */
  public Future<JsonObject> join(String chatId) {
    return channel.request(OP_JOIN, new JsonObject().put("chatId", chatId));
  }

  public Future<JsonObject> typing(String chatId, boolean typing) {
    return channel.request(OP_TYPING, new JsonObject().put("chatId", chatId).put("typing", typing));
  }

  /** Entries after {@code after}: {@code entries}, {@code nextPosition}, {@code chatEnded}. */
  public Future<JsonObject> refresh(String chatId, long after) {
    return channel.request(OP_REFRESH, new JsonObject().put("chatId", chatId).put("after", after));
  }

  public Future<JsonObject> leave(String chatId) {
    return channel.request(OP_LEAVE, new JsonObject().put("chatId", chatId));
  }

  public Future<JsonObject> close(String chatId, String disposition) {
    return channel.request(
        OP_CLOSE, new JsonObject().put("chatId", chatId).put("disposition", disposition));
  }

  /** Queues and agents as the router sees them now. */
  public Future<JsonObject> status() {
    return channel.request(OP_STATUS, new JsonObject());
  }

  /** Stops a chat wherever it lives (reason INTERACTION_STOPPED); needs the supervisor role. */
  public Future<JsonObject> stopInteraction(String chatId) {
    return channel.request(OP_STOP_INTERACTION, new JsonObject().put("chatId", chatId));
  }

  /** Closes the connection. */
  public Future<Void> disconnect() {
    return channel.close();
  }
}
