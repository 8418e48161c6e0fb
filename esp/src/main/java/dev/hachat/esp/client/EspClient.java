package dev.hachat.esp.client;

import dev.hachat.esp.client.impl.EspClientImpl;
import dev.hachat.store.Entry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * An ESP connection for an agent desktop. Every call returns a Future; a refused request fails with
 * a {@link dev.hachat.common.error.ChatException} carrying the server's error code, and an
 * unanswered one fails after {@link EspClientOptions#getRequestTimeout()}. Handlers are called on
 * the client's event loop and must not block.
 */
public interface EspClient {

  static Future<EspClient> connect(Vertx vertx, EspClientOptions options) {
    return EspClientImpl.connect(vertx, options);
  }

  /**
   * Must come first (within the server's {@code security.login-timeout}, 5 s by default). {@code
   * token} is a signed token whose subject is the agent id, or {@code null} for a server running
   * open (no credentials configured), which takes {@code agentId} as it is.
   */
  Future<Void> login(String agentId, String nickname, String token);

  /** Logs in with an account's password (docs/security.md); fails UNAUTHORIZED or RATE_LIMITED. */
  Future<Void> loginWithPassword(String agentId, String nickname, String password);

  Future<List<WaitingChat>> listWaiting();

  /** Takes a chat as its agent; another agent gets {@code ALREADY_TAKEN}. */
  Future<AcceptedChat> accept(String chatId);

  /**
   * Joins a chat it was invited to, beside the agent there: {@code mode} {@code conference} or
   * {@code consult} (its join then is internal: the customer does not see it).
   */
  Future<AcceptedChat> join(String chatId, String mode);

  /**
   * Sends a message read only by whom {@code visibility} allows ({@code Int}: agents and
   * supervisors, a consult line); {@code clientMessageId} may be {@code null}.
   */
  Future<Entry> send(String chatId, String clientMessageId, String text, String visibility);

  /**
   * Invites {@code agentId} into a chat this agent is in ({@code conference} or {@code consult}).
   */
  Future<Void> invite(String chatId, String agentId, String mode);

  /**
   * Sets user data keys of a chat this agent is in; {@code visibility} {@code Int} keeps the entry
   * from the customer (the interaction side's own keys), {@code All} shows it to everyone.
   */
  Future<Entry> updateData(String chatId, java.util.Map<String, String> change, String visibility);

  /** Joins a chat as a supervisor (observer). */
  Future<AcceptedChat> observe(String chatId);

  /** Re-attaches to a chat joined earlier (after a reconnect), resuming after {@code after}. */
  Future<Void> attach(String chatId, String participantId, String secureKey, long after);

  /** Sends a message; {@code clientMessageId} may be {@code null} (one is generated). */
  Future<Entry> send(String chatId, String clientMessageId, String text);

  Future<Entry> customNotice(String chatId, String clientMessageId, String text);

  Future<Entry> typing(String chatId, boolean typing);

  Future<ChatSlice> refresh(String chatId, long after);

  Future<Void> leave(String chatId);

  /**
   * Leaves with {@code reason} recorded in the leave entry: {@code AGENT_LEFT}, {@code
   * TRANSFERRED_OUT} or {@code DISCONNECTED}.
   */
  Future<Void> leave(String chatId, String reason);

  /** Ends the chat (reason {@code AGENT_CLOSED}). */
  Future<Void> close(String chatId);

  /** The interaction side stops the chat (reason {@code INTERACTION_STOPPED}). */
  Future<Void> interactionStopped(String chatId);

  /**
   * The interaction side writes a system notice into a chat it has not joined (a queue position, a
   * greeting); needs the {@code workflow} role.
   */
  Future<Entry> queueNotice(String chatId, String text);

  Future<Void> ping();

  /** Closes the connection. */
  Future<Void> disconnect();

  EspClient onChatWaiting(Consumer<WaitingChat> handler);

  EspClient onChatNoLongerWaiting(Consumer<String> handler);

  /**
   * As {@link #onChatNoLongerWaiting}, with the reason: {@code accepted}, {@code closed} or {@code
   * moved} (it waits on at its next owner).
   */
  EspClient onWaitingEnded(BiConsumer<String, String> handler);

  /** {@code chatLocated} events, sent to connections with the {@code workflow} role. */
  EspClient onChatLocated(Consumer<ChatLocated> handler);

  /** {@code chatInvited} events, sent to connections with the {@code workflow} role. */
  EspClient onChatInvited(Consumer<ChatInvited> handler);

  EspClient onEntry(BiConsumer<String, Entry> handler);

  /** Called with the chat id and the close reason. */
  EspClient onChatClosed(BiConsumer<String, String> handler);

  /** Called with the chat id and the notice code (e.g. {@code STORE_UNAVAILABLE}). */
  EspClient onNotice(BiConsumer<String, String> handler);

  /** Called once when the connection is lost or closed, with the close code. */
  EspClient onDisconnected(Consumer<Short> handler);

  /**
   * Sends any operation (the room operations of docs/rooms.md, say) and completes with its {@code
   * result}; a refusal fails with {@code ChatException} carrying the code and details.
   */
  Future<io.vertx.core.json.JsonObject> request(String op, io.vertx.core.json.JsonObject params);

  /** Room events ({@code roomEntry}, {@code roomPresence}, {@code roomMoved}): the whole frame. */
  EspClient onRoomEvent(Consumer<io.vertx.core.json.JsonObject> handler);
}
