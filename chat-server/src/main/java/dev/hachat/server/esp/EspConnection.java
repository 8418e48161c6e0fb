package dev.hachat.server.esp;

import static dev.hachat.esp.protocol.EspFrames.*;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.WriteBudget;
import dev.hachat.server.config.EspPortOptions;
import dev.hachat.server.metrics.ErrorKpi;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.EngineListener;
import dev.hachat.server.session.Session;
import dev.hachat.server.session.SessionListener;
import dev.hachat.server.session.SessionSummary;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One ESP WebSocket connection: parses frames, keeps the chats this connection takes part in, and
 * forwards session and engine events. Thread-safe: frames arrive on the connection's event loop,
 * session events on session loops; shared state is in concurrent maps and atomics.
 *
 * <p>Login: an account ({@code agentId} + {@code password}) or a token (its subject is the agent
 * id) through the {@link Authenticator}; in open mode (no credentials configured) any {@code
 * agentId} is taken with every interaction-side role. A connection that has not logged in within
 * {@code security.login-timeout} is closed with {@link
 * dev.hachat.esp.protocol.EspFrames#CLOSE_LOGIN_TIMEOUT}.
 */
final class EspConnection implements EngineListener {
  private static final Logger LOG = LoggerFactory.getLogger(EspConnection.class);
  static final int MAX_QUEUED_FRAMES = 10_000;

  /** A chat this connection joined: its participant credentials and subscription. */
  record Membership(String participantId, String secureKey, Runnable unsubscribe) {}

  private final ServerWebSocket ws;
  private final ChatEngine engine;
  private final Authenticator auth;
  private final long loginTimeoutMs;
  private final EspOps ops;
  private final EspRoomOps rooms;
  private final Map<String, Membership> chats = new ConcurrentHashMap<>();
  private final WriteBudget queued;
  private volatile String agentId;
  private volatile Principal principal;
  private volatile String nickname;
  private volatile boolean closed;

  /**
   * @param options the port's limits: {@code esp.max-queued-bytes} (beyond it the agent is closed
   *     as a slow consumer) and the reply pages
   */
  EspConnection(
      ServerWebSocket ws,
      ChatEngine engine,
      Authenticator auth,
      long loginTimeoutMs,
      EspPortOptions options,
      dev.hachat.server.room.RoomHost roomHost,
      dev.hachat.server.room.RoomMoves roomMoves) {
    this.queued = new WriteBudget(MAX_QUEUED_FRAMES, options.getMaxQueuedBytes());
    this.ws = ws;
    this.engine = engine;
    this.auth = auth;
    this.loginTimeoutMs = loginTimeoutMs;
    this.ops = new EspOps(engine, this, new ReplyPage(options));
    this.rooms = new EspRoomOps(roomHost, roomMoves, this, this::send);
  }

  void start(io.vertx.core.Vertx vertx) {
    long timer =
        vertx.setTimer(
            loginTimeoutMs,
            t -> {
              if (agentId == null && !closed) {
                engine.kpi().limits().espLoginTimeout();
                ws.close(CLOSE_LOGIN_TIMEOUT, "log in within the login timeout");
                stop();
              }
            });
    ws.closeHandler(
        v -> {
          vertx.cancelTimer(timer);
          stop();
        });
    ws.textMessageHandler(this::onFrame);
    ws.exceptionHandler(this::onSocketError);
  }

  /**
   * Vert.x reports a text message over {@code maxWebSocketMessageSize} ({@link
   * dev.hachat.esp.protocol.EspFrames#MAX_MESSAGE_BYTES}) here and drops it: its request would
   * never be answered, so the connection is closed with {@link
   * dev.hachat.esp.protocol.EspFrames#CLOSE_MESSAGE_TOO_BIG}. Anything else (a reset) is the
   * client's going away.
   */
  private void onSocketError(Throwable e) {
    if (e instanceof IllegalStateException
        && String.valueOf(e.getMessage()).contains("max message size")
        && !closed) {
      engine.kpi().errors().answered(ErrorKpi.Port.ESP, ErrorCode.REQUEST_TOO_LARGE);
      ws.close(CLOSE_MESSAGE_TOO_BIG, "a message larger than " + MAX_MESSAGE_BYTES + " bytes");
      stop();
      return;
    }
    LOG.debug("[{}] ESP connection error: {}", engine.instanceId(), e.toString());
  }

  String nickname() {
    return nickname;
  }

  /** The logged-in agent id (null before login). */
  String agentId() {
    return agentId;
  }

  Membership membership(String chatId) {
    Membership m = chats.get(chatId);
    if (m == null) {
      throw new ChatException(ErrorCode.FORBIDDEN, "this connection has not joined chat " + chatId);
    }
    return m;
  }

  Map<String, Membership> chats() {
    return chats;
  }

  private void onFrame(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      sendError(null, ChatException.badRequest("the frame is not a JSON object"));
      return;
    }
    Object id = frame.getValue("id");
    if (!(id instanceof Number || id instanceof String)) {
      sendError(null, ChatException.badRequest("field 'id' (number or string) is required"));
      return;
    }
    Object op = frame.getValue("op");
    if (!(op instanceof String name)) {
      sendError(id, ChatException.badRequest("field 'op' is required"));
      return;
    }
    Future<JsonObject> result;
    try {
      result = dispatch(name, frame);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    result.onComplete(
        ar -> {
          if (ar.succeeded()) {
            send(ok(id, ar.result()));
          } else {
            sendError(id, classify(ar.cause()));
          }
        });
  }

  private Future<JsonObject> dispatch(String op, JsonObject f) {
    if (OP_PING.equals(op)) {
      return Future.succeededFuture(new JsonObject());
    }
    if (OP_LOGIN.equals(op)) {
      return login(f);
    }
    Principal who = principal;
    if (who == null) {
      throw new ChatException(ErrorCode.UNAUTHORIZED, "log in first");
    }
    EspRoles.check(who, op);
    if (op.startsWith(ROOM_PREFIX)) {
      return rooms.dispatch(op, f);
    }
    return switch (op) {
      case OP_LIST_WAITING -> ops.listWaiting(f);
      case OP_ACCEPT -> ops.accept(f, false);
      case OP_OBSERVE -> ops.accept(f, true);
      case OP_JOIN -> ops.join(f);
      case OP_INVITE -> ops.invite(f);
      case OP_UPDATE_DATA -> ops.updateData(f);
      case OP_ATTACH -> ops.attach(f);
      case OP_SEND -> ops.send(f, false);
      case OP_CUSTOM_NOTICE -> ops.send(f, true);
      case OP_TYPING -> ops.typing(f);
      case OP_REFRESH -> ops.refresh(f);
      case OP_LEAVE -> ops.leave(f);
      case OP_CLOSE -> ops.close(f);
      case OP_INTERACTION_STOPPED -> ops.interactionStopped(f);
      case OP_QUEUE_NOTICE -> ops.queueNotice(f);
      default -> throw new ChatException(ErrorCode.NOT_FOUND, "unknown op '" + op + "'");
    };
  }

  private Future<JsonObject> login(JsonObject f) {
    String nick = EspOps.string(f, "nickname");
    String address = ws.remoteAddress() == null ? "unknown" : ws.remoteAddress().host();
    Future<Principal> who;
    if (!auth.enabled()) {
      who = Future.succeededFuture(Principal.of(EspOps.string(f, "agentId"), EspRoles.OPEN));
    } else if (f.getValue("token") instanceof String token && !token.isEmpty()) {
      who = auth.verifyToken(token, address);
    } else if (f.getValue("password") instanceof String password && !password.isEmpty()) {
      who = auth.login(EspOps.string(f, "agentId"), password, address);
    } else {
      throw new ChatException(
          ErrorCode.UNAUTHORIZED, "log in with agentId and password, or with a token");
    }
    return who.onFailure(
            e -> {
              if (e instanceof ChatException ce && ce.code() == ErrorCode.RATE_LIMITED) {
                engine.kpi().limits().espLoginLimited();
              }
            })
        .map(
            p -> {
              boolean first = principal == null;
              principal = p;
              agentId = p.id();
              nickname = nick;
              if (first) {
                engine.addListener(this);
              }
              return new JsonObject().put("instanceId", engine.instanceId()).put("agentId", p.id());
            });
  }

  /** Subscribes this connection to a chat's entries, replacing an earlier subscription. */
  Future<Runnable> subscribe(Session s, String pid, String key, long after) {
    return s.subscribe(pid, key, after, new ChatForwarder(s.id()))
        .map(
            cancel -> {
              Membership old = chats.put(s.id(), new Membership(pid, key, cancel));
              if (old != null) {
                old.unsubscribe().run();
              }
              if (closed) {
                cancel.run();
              }
              return cancel;
            });
  }

  /** Whether the logged-in caller has {@code role}. */
  boolean has(dev.hachat.common.auth.Role role) {
    Principal who = principal;
    return who != null && who.has(role);
  }

  void forget(String chatId) {
    Membership m = chats.remove(chatId);
    if (m != null) {
      m.unsubscribe().run();
    }
  }

  @Override
  public void onWaiting(SessionSummary s) {
    send(event(EVENT_CHAT_WAITING, new JsonObject().put("chat", EspOps.summary(s))));
  }

  @Override
  public void onNoLongerWaiting(String chatId, Why why) {
    send(
        event(
            EVENT_CHAT_NO_LONGER_WAITING,
            new JsonObject().put("chatId", chatId).put("reason", why.wireName())));
  }

  @Override
  public void onLocated(String chatId, long epoch) {
    Principal who = principal;
    if (who != null && who.has(Role.WORKFLOW)) {
      send(
          event(
              EVENT_CHAT_LOCATED,
              new JsonObject()
                  .put("chatId", chatId)
                  .put("instanceId", engine.instanceId())
                  .put("epoch", epoch)));
    }
  }

  @Override
  public void onInvited(String chatId, String agentId, String mode, String from) {
    Principal who = principal;
    if (who != null && who.has(Role.WORKFLOW)) {
      send(
          event(
              EVENT_CHAT_INVITED,
              new JsonObject()
                  .put("chatId", chatId)
                  .put("agentId", agentId)
                  .put("mode", mode)
                  .put("from", from)
                  .put("instanceId", engine.instanceId())));
    }
  }

  /** Forwards one chat's session events as ESP events. */
  private final class ChatForwarder implements SessionListener {
    private final String chatId;

    ChatForwarder(String chatId) {
      this.chatId = chatId;
    }

    @Override
    public void onEntry(Session session, Entry entry) {
      send(
          event(
              EVENT_ENTRY,
              new JsonObject().put("chatId", chatId).put("entry", EntryJson.toJson(entry))));
    }

    @Override
    public void onClosed(Session session, CloseInfo info) {
      send(
          event(
              EVENT_CHAT_CLOSED,
              new JsonObject().put("chatId", chatId).put("reason", info.reason())));
    }

    @Override
    public void onReplaced(Session session) {
      chats.remove(chatId);
      send(
          event(EVENT_NOTICE, new JsonObject().put("chatId", chatId))
              .put("code", "STREAM_REPLACED")
              .put(
                  "text",
                  "a newer stream of this participant follows the chat; attach again here"));
    }

    @Override
    public void onNotice(Session session, String code, String text) {
      send(
          event(
              EVENT_NOTICE,
              new JsonObject().put("chatId", chatId).put("code", code).put("text", text)));
    }
  }

  /** An error reply, counted by its code ({@code hachat_errors_total{port="esp"}}). */
  private void sendError(Object id, ChatException e) {
    engine.kpi().errors().answered(ErrorKpi.Port.ESP, e.code());
    send(error(id, e));
  }

  private void send(JsonObject frame) {
    if (closed) {
      return;
    }
    String text = frame.encode();
    int size = text.length(); // UTF-16 units: at least a third of the UTF-8 bytes, cheap to get
    if (!queued.tryTake(size)) {
      engine.kpi().slowConsumer();
      if (queued.overBytes()) {
        engine.kpi().limits().slowConsumerBytes();
      }
      ws.close(CLOSE_SLOW_CONSUMER, "slow consumer: reconnect and attach from your last index");
      stop();
      return;
    }
    ws.writeTextMessage(text).onComplete(ar -> queued.release(size));
  }

  private ChatException classify(Throwable t) {
    if (t instanceof ChatException ce) {
      return ce;
    }
    LOG.error("[{}] unexpected ESP failure", engine.instanceId(), t);
    return new ChatException(ErrorCode.INTERNAL, "internal error; the instance logged it");
  }

  private void stop() {
    closed = true;
    engine.removeListener(this);
    chats.values().forEach(m -> m.unsubscribe().run());
    rooms.stop();
  }
}
