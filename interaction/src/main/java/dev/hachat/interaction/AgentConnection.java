package dev.hachat.interaction;

import static dev.hachat.esp.protocol.EspFrames.error;
import static dev.hachat.esp.protocol.EspFrames.ok;
import static dev.hachat.interaction.agents.AgentFrames.*;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.ChatSlice;
import dev.hachat.esp.protocol.EspFrames;
import dev.hachat.interaction.agents.AgentLink;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent desktop's WebSocket on the agent API (docs/agent-api.md): parses frames, checks the
 * login, and calls the {@link Switchboard}. A connection that has not logged in within {@code
 * security.login-timeout} is closed with 4001.
 *
 * <p>Threading: frames arrive on the connection's event loop; the principal is set once, by the
 * login's completion, and read by later frames (volatile); writes may come from any thread.
 */
final class AgentConnection implements AgentLink {
  private static final Logger LOG = LoggerFactory.getLogger(AgentConnection.class);
  private static final short CLOSE_LOGIN_TIMEOUT = 4001;

  private final ServerWebSocket ws;
  private final Switchboard board;
  private final Authenticator auth;
  private final IxnMetrics metrics;
  private final Function<String, Future<Void>> stopInteraction;
  private final JsonObject desktop;
  private volatile Principal who;

  /**
   * @param stopInteraction stops a chat wherever it lives (the workflow's interactionStopped)
   * @param desktop the login reply's {@code desktop} field (canned responses, dispositions)
   */
  AgentConnection(
      ServerWebSocket ws,
      Switchboard board,
      Authenticator auth,
      IxnMetrics metrics,
      Function<String, Future<Void>> stopInteraction,
      JsonObject desktop) {
    this.ws = ws;
    this.board = board;
    this.auth = auth;
    this.metrics = metrics;
    this.stopInteraction = stopInteraction;
    this.desktop = desktop;
  }

  void start(Vertx vertx, long loginTimeoutMs) {
    long timer =
        vertx.setTimer(
            loginTimeoutMs,
            t -> {
              if (who == null && !ws.isClosed()) {
                metrics.loginTimeout();
                ws.close(CLOSE_LOGIN_TIMEOUT, "log in within the login timeout");
              }
            });
    ws.closeHandler(
        v -> {
          vertx.cancelTimer(timer);
          Principal p = who;
          if (p != null) {
            board.dropped(p.id(), this);
          }
        });
    ws.textMessageHandler(this::onFrame);
    ws.exceptionHandler(e -> LOG.debug("agent connection error: {}", e.toString()));
  }

  @Override
  public void event(String name, JsonObject body) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(EspFrames.event(name, body).encode());
    }
  }

  @Override
  public void close(short code, String reason) {
    if (!ws.isClosed()) {
      ws.close(code, reason);
    }
  }

  private void onFrame(String text) {
    JsonObject frame;
    try {
      frame = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      reply(null, Future.failedFuture(ChatException.badRequest("the frame is not a JSON object")));
      return;
    }
    Object id = frame.getValue("id");
    if (!(id instanceof Number || id instanceof String)) {
      reply(null, Future.failedFuture(ChatException.badRequest("field 'id' is required")));
      return;
    }
    Future<JsonObject> result;
    try {
      result = dispatch(frame.getValue("op") instanceof String op ? op : "", frame);
    } catch (RuntimeException e) {
      result = Future.failedFuture(e);
    }
    reply(id, result);
  }

  private void reply(Object id, Future<JsonObject> result) {
    result.onComplete(
        ar -> {
          if (ws.isClosed()) {
            return;
          }
          if (ar.succeeded()) {
            ws.writeTextMessage(ok(id, ar.result()).encode());
          } else if (ar.cause() instanceof ChatException ce) {
            ws.writeTextMessage(error(id, ce).encode());
          } else {
            LOG.error("agent API request failed unexpectedly", ar.cause());
            ws.writeTextMessage(
                error(id, new ChatException(ErrorCode.INTERNAL, "internal error; retry")).encode());
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
    Principal p = who;
    if (p == null) {
      throw new ChatException(ErrorCode.UNAUTHORIZED, "log in first");
    }
    String agent = p.id();
    if (op.startsWith(dev.hachat.esp.protocol.EspFrames.ROOM_PREFIX)) {
      return board.room(agent, op, f);
    }
    return switch (op) {
      case OP_SET_STATE -> setState(agent, f);
      case OP_ACCEPT -> board.accept(agent, string(f, "offerId"));
      case OP_REJECT -> board.reject(agent, string(f, "offerId"));
      case OP_SEND, OP_CONSULT -> {
        String chatId = string(f, "chatId");
        String cmid = string(f, "clientMessageId");
        String text = string(f, "text");
        yield board
            .team()
            .send(agent, chatId, cmid, text, OP_CONSULT.equals(op))
            .map(e -> new JsonObject().put("entry", EntryJson.toJson(e)));
      }
      case OP_TRANSFER -> {
        String chatId = string(f, "chatId");
        String queue = optional(f, "queue");
        String toAgent = optional(f, "agentId");
        if ((queue == null) == (toAgent == null)) {
          throw ChatException.badRequest("give either 'queue' or 'agentId' (a non-empty string)");
        }
        yield board.team().transfer(agent, chatId, queue, toAgent).map(v -> new JsonObject());
      }
      case OP_INVITE -> {
        String mode = f.getValue("mode") == null ? "conference" : string(f, "mode");
        if (!mode.equals("conference") && !mode.equals("consult")) {
          throw ChatException.badRequest("field 'mode' is conference or consult");
        }
        yield board
            .team()
            .invite(agent, string(f, "chatId"), string(f, "agentId"), mode)
            .map(v -> new JsonObject());
      }
      case OP_JOIN -> board.team().joinInvited(agent, string(f, "chatId"));
      case OP_MONITOR -> board.team().monitor(supervisor(p, op), string(f, "chatId"));
      case OP_UNMONITOR ->
          board.team().unmonitor(supervisor(p, op), string(f, "chatId")).map(v -> new JsonObject());
      case OP_BARGE_IN -> board.team().bargeIn(supervisor(p, op), string(f, "chatId"));
      case OP_DECLINE ->
          board.team().decline(agent, string(f, "chatId")).map(v -> new JsonObject());
      case OP_TYPING -> {
        String chatId = string(f, "chatId");
        if (!(f.getValue("typing") instanceof Boolean typing)) {
          throw ChatException.badRequest("field 'typing' (true or false) is required");
        }
        yield board.inChat(agent, chatId, r -> r.typing(chatId, typing)).map(e -> new JsonObject());
      }
      case OP_REFRESH -> {
        String chatId = string(f, "chatId");
        long after = f.getValue("after") instanceof Number n ? Math.max(0, n.longValue()) : 0;
        yield board.reading(agent, chatId, r -> r.refresh(chatId, after)).map(this::slice);
      }
      case OP_LEAVE -> board.leave(agent, string(f, "chatId")).map(v -> new JsonObject());
      case OP_CLOSE -> {
        String chatId = string(f, "chatId");
        String disposition = Collaboration.disposition(f.getValue("disposition"));
        LOG.info("agent {} closes chat {} (disposition '{}')", agent, chatId, disposition);
        yield board.team().close(agent, chatId, disposition).map(v -> new JsonObject());
      }
      case OP_STATUS -> board.status().map(s -> p.has(Role.SUPERVISOR) ? s : forAgents(s));
      case OP_STOP_INTERACTION -> {
        if (!p.has(Role.SUPERVISOR)) {
          throw new ChatException(
              ErrorCode.FORBIDDEN, "'stopInteraction' needs the supervisor role");
        }
        yield stopInteraction.apply(string(f, "chatId")).map(v -> new JsonObject());
      }
      default -> throw new ChatException(ErrorCode.NOT_FOUND, "unknown op '" + op + "'");
    };
  }

  /**
   * The status as an agent without the supervisor role sees it: queues and agents, without the chat
   * ids (other agents' chats) and the instance state table.
   */
  private static JsonObject forAgents(JsonObject status) {
    JsonObject s = status.copy();
    s.remove("instances");
    for (String list : new String[] {"queues", "agents"}) {
      s.getJsonArray(list, new JsonArray()).forEach(o -> ((JsonObject) o).remove("chatIds"));
    }
    return s;
  }

  /** The caller's id if it has the supervisor role, else FORBIDDEN. */
  private static String supervisor(Principal p, String op) {
    if (!p.has(Role.SUPERVISOR)) {
      throw new ChatException(ErrorCode.FORBIDDEN, "'" + op + "' needs the supervisor role");
    }
    return p.id();
  }

  /** A non-empty string field, or null when it is absent; anything else is BAD_REQUEST. */
  private static String optional(JsonObject f, String field) {
    Object v = f.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s) || s.isEmpty()) {
      throw ChatException.badRequest("field '" + field + "' must be a non-empty string");
    }
    return s;
  }

  private Future<JsonObject> login(JsonObject f) {
    if (who != null) {
      throw ChatException.badRequest("already logged in");
    }
    String address = ws.remoteAddress() == null ? "unknown" : ws.remoteAddress().host();
    Future<Principal> p;
    if (!auth.enabled()) {
      p = Future.succeededFuture(Principal.of(string(f, "agentId"), Role.AGENT, Role.SUPERVISOR));
    } else if (f.getValue("token") instanceof String token && !token.isEmpty()) {
      p = auth.verifyToken(token, address);
    } else if (f.getValue("password") instanceof String password && !password.isEmpty()) {
      p = auth.login(string(f, "agentId"), password, address);
    } else {
      throw new ChatException(
          ErrorCode.UNAUTHORIZED, "log in with agentId and password, or with a token");
    }
    String nickname = f.getString("nickname", "");
    java.util.List<String> claimed = claimedChats(f);
    return p.compose(
        principal -> {
          if (!principal.has(Role.AGENT)) {
            return Future.failedFuture(
                new ChatException(ErrorCode.FORBIDDEN, principal.id() + " has no agent role"));
          }
          who = principal;
          String nick = nickname.isBlank() ? principal.id() : nickname;
          return board
              .login(principal.id(), nick, this, claimed, principal.has(Role.SUPERVISOR))
              .map(me -> me.copy().put("desktop", desktop.copy()));
        });
  }

  /** The login's {@code chats}: ids of chats the desktop works on (after its server was lost). */
  private static java.util.List<String> claimedChats(JsonObject f) {
    Object v = f.getValue("chats");
    if (v == null) {
      return java.util.List.of();
    }
    if (!(v instanceof JsonArray a) || a.size() > 100) {
      throw ChatException.badRequest("field 'chats' must be a list of at most 100 chat ids");
    }
    java.util.List<String> ids = new java.util.ArrayList<>();
    for (Object id : a) {
      if (!(id instanceof String s) || s.isEmpty() || s.length() > 128) {
        throw ChatException.badRequest("field 'chats' must hold chat ids (strings)");
      }
      ids.add(s);
    }
    return ids;
  }

  private Future<JsonObject> setState(String agent, JsonObject f) {
    AgentState state =
        AgentState.fromWire(f.getString("state"))
            .orElseThrow(
                () ->
                    ChatException.badRequest(
                        "field 'state' must be Ready, NotReady or AfterCallWork"));
    String reason = f.getString("reason", "");
    return board.setState(agent, state, reason == null ? "" : reason);
  }

  private JsonObject slice(ChatSlice s) {
    JsonArray entries = new JsonArray();
    s.entries().forEach(e -> entries.add(EntryJson.toJson(e)));
    return new JsonObject()
        .put("entries", entries)
        .put("nextPosition", s.nextPosition())
        .put("chatEnded", s.chatEnded());
  }

  private static String string(JsonObject f, String field) {
    if (!(f.getValue(field) instanceof String s) || s.isEmpty()) {
      throw ChatException.badRequest("field '" + field + "' (non-empty string) is required");
    }
    return s;
  }
}
