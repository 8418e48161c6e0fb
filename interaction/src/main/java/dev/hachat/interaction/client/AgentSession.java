package dev.hachat.interaction.client;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.Jitter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A desktop's session with the interaction servers that outlives any one of them: logged in at the
 * first of {@code endpoints} that answers, and when that connection drops, again at the next one
 * after a random pause ({@link Jitter}, so that the desktops of a lost server do not all come back
 * in the same instant), naming the chats it works on so the new server takes them back, with the
 * state it had. Entries it missed meanwhile are fetched ({@code refresh} after the last position it
 * handed on) and handed on as {@code entry} events, each once; a {@code notice} event with code
 * {@value #NOTICE_RECONNECTED} says it happened. (Entries are told apart by their {@code index}.) A
 * connection replaced by another login of the agent (close 4009) is not reconnected. While it
 * reconnects, requests fail INSTANCE_UNAVAILABLE.
 *
 * <p>Threading: thread-safe; events are handed on from the connections' event loops.
 */
public final class AgentSession {
  /** Notice code of a session that logged in again at another interaction server. */
  public static final String NOTICE_RECONNECTED = "RECONNECTED";

  /** Notice code of a session whose connection dropped; it reconnects by itself. */
  public static final String NOTICE_DISCONNECTED = "DISCONNECTED";

  /** Bounds of the random pause before a reconnect, ms. */
  public static final long RECONNECT_MIN_MS = 100;

  public static final long RECONNECT_MAX_MS = 1_000;

  /** How to log in: an account's password, a token, or neither (an open server). */
  public record Credentials(String agentId, String nickname, String password, String token) {}

  private final Vertx vertx;
  private final List<String> endpoints;
  private final Credentials who;
  private final String tlsTrustFile;
  private final Consumer<JsonObject> events;
  private final Map<String, Long> chats = new ConcurrentHashMap<>(); // chat -> last index seen
  private volatile AgentApiClient client;
  private volatile int at;
  private volatile boolean stopped;
  private volatile String state = "NotReady";
  private volatile String reason = "";
  private volatile long reconnects;
  private volatile JsonObject me = new JsonObject();

  private AgentSession(
      Vertx vertx,
      List<String> endpoints,
      Credentials who,
      String tlsTrustFile,
      Consumer<JsonObject> events) {
    this.vertx = vertx;
    this.endpoints = List.copyOf(endpoints);
    this.who = who;
    this.tlsTrustFile = tlsTrustFile;
    this.events = events;
  }

  /**
   * Logs in at the first of {@code endpoints} ({@code host:port}) that answers; {@code events} gets
   * every event frame. The Future fails with the last error when none does.
   */
  public static Future<AgentSession> start(
      Vertx vertx,
      List<String> endpoints,
      Credentials who,
      String tlsTrustFile,
      Consumer<JsonObject> events) {
    AgentSession s = new AgentSession(vertx, endpoints, who, tlsTrustFile, events);
    return s.connect(0, endpoints.size()).map(s);
  }

  private Future<Void> connect(int from, int tries) {
    String endpoint = endpoints.get(from % endpoints.size());
    int colon = endpoint.lastIndexOf(':');
    return AgentApiClient.connect(
            vertx,
            endpoint.substring(0, colon),
            Integer.parseInt(endpoint.substring(colon + 1)),
            tlsTrustFile)
        .compose(
            c ->
                c.onEvent(this::onEvent)
                    .login(
                        who.agentId(), who.nickname(), who.password(), who.token(), chats.keySet())
                    .onFailure(e -> c.disconnect())
                    .map(
                        reply -> {
                          me = reply;
                          at = from % endpoints.size();
                          client = c;
                          c.onClosed(code -> closed(c, code));
                          return null;
                        }))
        .<Void>mapEmpty()
        .recover(e -> tries <= 1 ? Future.failedFuture(e) : connect(from + 1, tries - 1));
  }

  private void closed(AgentApiClient c, short code) {
    if (client != c || stopped || code == 4009) {
      return;
    }
    client = null;
    events.accept(
        new JsonObject()
            .put("event", "notice")
            .put("code", NOTICE_DISCONNECTED)
            .put("text", "connection lost (" + code + "); reconnecting"));
    vertx.setTimer(Jitter.between(RECONNECT_MIN_MS, RECONNECT_MAX_MS), t -> reconnect(at + 1));
  }

  private void reconnect(int from) {
    if (stopped) {
      return;
    }
    connect(from, endpoints.size())
        .compose(v -> restore())
        .onSuccess(
            v -> {
              reconnects++;
              events.accept(
                  new JsonObject()
                      .put("event", "notice")
                      .put("code", NOTICE_RECONNECTED)
                      .put("text", "reconnected to another interaction server"));
            })
        .onFailure(
            e ->
                vertx.setTimer(
                    Jitter.between(RECONNECT_MIN_MS, RECONNECT_MAX_MS), t -> reconnect(from + 1)));
  }

  /** After a reconnect: the state it had, and the entries it missed in each chat. */
  private Future<Void> restore() {
    AgentApiClient c = client;
    Future<?> st =
        "NotReady".equals(state) && reason.isEmpty()
            ? Future.succeededFuture()
            : c.setState(state, reason);
    List<Future<?>> missed = new ArrayList<>();
    for (Map.Entry<String, Long> e : chats.entrySet()) {
      missed.add(
          c.refresh(e.getKey(), e.getValue())
              .onSuccess(slice -> replay(e.getKey(), slice))
              .otherwiseEmpty());
    }
    return Future.join(List.of(st, Future.join(missed))).mapEmpty();
  }

  private void replay(String chatId, JsonObject slice) {
    for (Object o : slice.getJsonArray("entries", new JsonArray())) {
      onEvent(new JsonObject().put("event", "entry").put("chatId", chatId).put("entry", o));
    }
  }

  private void onEvent(JsonObject e) {
    String chatId = e.getString("chatId");
    switch (e.getString("event", "")) {
      case "entry" -> {
        long index = e.getJsonObject("entry", new JsonObject()).getLong("index", 0L);
        Long last = chatId == null ? null : chats.get(chatId);
        if (last != null) {
          if (index <= last) {
            return; // handed on already
          }
          chats.put(chatId, index);
        }
      }
      case "chatClosed" -> chats.remove(chatId);
      case "state" -> {
        state = e.getString("state", state);
        reason = e.getString("reason", "");
      }
      default -> {}
    }
    events.accept(e);
  }

  private <T> Future<T> call(Function<AgentApiClient, Future<T>> op) {
    AgentApiClient c = client;
    if (c == null) {
      return Future.failedFuture(
          new ChatException(ErrorCode.INSTANCE_UNAVAILABLE, "reconnecting; retry in a second"));
    }
    return op.apply(c);
  }

  public Future<JsonObject> setState(String newState, String newReason) {
    return call(c -> c.setState(newState, newReason))
        .onSuccess(
            me -> {
              state = me.getString("state", newState);
              reason = me.getString("reason", "");
            });
  }

  /** Accepts an offer; the chat is followed from then on. */
  public Future<JsonObject> accept(String offerId) {
    return call(c -> c.accept(offerId))
        .onSuccess(
            // the reply holds the entries before nextPosition; later ones come as events
            chat ->
                chats.putIfAbsent(chat.getString("chatId"), chat.getLong("nextPosition", 0L) - 1));
  }

  public Future<JsonObject> reject(String offerId) {
    return call(c -> c.reject(offerId));
  }

  public Future<JsonObject> send(String chatId, String clientMessageId, String text) {
    return call(c -> c.send(chatId, clientMessageId, text));
  }

  public Future<JsonObject> typing(String chatId, boolean typing) {
    return call(c -> c.typing(chatId, typing));
  }

  public Future<JsonObject> refresh(String chatId, long after) {
    return call(c -> c.refresh(chatId, after));
  }

  public Future<JsonObject> leave(String chatId) {
    return call(c -> c.leave(chatId)).onSuccess(v -> chats.remove(chatId));
  }

  public Future<JsonObject> close(String chatId, String disposition) {
    return call(c -> c.close(chatId, disposition));
  }

  public Future<JsonObject> status() {
    return call(AgentApiClient::status);
  }

  /** The reply of its last login: the agent as the server sees it, with its chats. */
  public JsonObject me() {
    return me;
  }

  /** The chats it follows now. */
  public Set<String> chats() {
    return Set.copyOf(chats.keySet());
  }

  /** The endpoint it is logged in at now ({@code host:port}); null while reconnecting. */
  public String endpoint() {
    return client == null ? null : endpoints.get(at);
  }

  /** Reconnects so far. */
  public long reconnects() {
    return reconnects;
  }

  /** Logs out for good. */
  public Future<Void> stop() {
    stopped = true;
    AgentApiClient c = client;
    return c == null ? Future.succeededFuture() : c.disconnect();
  }
}
