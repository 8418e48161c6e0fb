package dev.hachat.interaction.leader;

import static dev.hachat.esp.protocol.EspFrames.error;
import static dev.hachat.esp.protocol.EspFrames.ok;
import static dev.hachat.interaction.leader.PeerFrames.*;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.protocol.EspFrames;
import dev.hachat.interaction.routing.AcceptOutcome;
import dev.hachat.interaction.routing.Router;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's side of one peer link: another interaction server's calls for its agents, applied to
 * the {@link Router} under that server's name, and the router's events for those agents sent back.
 * The first request must be {@value PeerFrames#OP_HELLO}, naming the server and the epoch it
 * expects: refused (NOT_OWNER) unless this router leads at that epoch. With security on it carries
 * a token with the peer role.
 *
 * <p>Threading: frames arrive on the link's event loop and are applied on the router's context;
 * events may be sent from any thread.
 */
public final class PeerSession {
  private static final Logger LOG = LoggerFactory.getLogger(PeerSession.class);

  /** What the session needs of the server it runs in. */
  public interface Host {
    /** The link of {@code server} is up: events for its agents go to {@code session}. */
    void attached(String server, PeerSession session);

    /** The link ended. */
    void detached(String server, PeerSession session);

    /** {@code agentId}'s desktop reconnected at another home than {@code formerHome}. */
    void moved(String formerHome, String agentId);
  }

  /** A link that has not said hello by then is closed (close code 4001, as an agent's login). */
  static final long HELLO_TIMEOUT_MS = 10_000;

  private final ServerWebSocket ws;
  private final OwnContext context;
  private final Router router;
  private final Authenticator auth;
  private final Host host;
  private String server; // on the router's context, set by the hello
  private LocalAccess access;

  public PeerSession(
      ServerWebSocket ws, OwnContext context, Router router, Authenticator auth, Host host) {
    this.ws = ws;
    this.context = context;
    this.router = router;
    this.auth = auth;
    this.host = host;
  }

  public void start() {
    context.setTimer(
        HELLO_TIMEOUT_MS,
        t -> {
          if (server == null && !ws.isClosed()) {
            ws.close((short) 4001, "say hello first");
          }
        });
    ws.textMessageHandler(this::onFrame);
    ws.closeHandler(
        v ->
            context.run(
                () -> {
                  if (server != null) {
                    host.detached(server, this);
                  }
                }));
    ws.exceptionHandler(e -> LOG.debug("peer link error: {}", e.toString()));
  }

  /** Sends an event for one of the server's agents. Any thread. */
  public void event(String name, JsonObject body) {
    if (!ws.isClosed()) {
      ws.writeTextMessage(EspFrames.event(name, body).encode());
    }
  }

  /** Ends the link (this router leads no more). */
  public void close() {
    if (!ws.isClosed()) {
      ws.close((short) 1001, "not the router any more");
    }
  }

  private void onFrame(String text) {
    JsonObject f;
    try {
      f = new JsonObject(text);
    } catch (RuntimeException e) {
      ws.writeTextMessage(
          error(null, ChatException.badRequest("the frame is not a JSON object")).encode());
      return;
    }
    Object id = f.getValue("id");
    String op = f.getString("op", "");
    Future<JsonObject> result =
        OP_HELLO.equals(op) ? hello(f) : context.call(() -> applySafely(op, f));
    result.onComplete(
        ar -> {
          if (ws.isClosed()) {
            return;
          }
          ChatException ce =
              ar.succeeded()
                  ? null
                  : ar.cause() instanceof ChatException c
                      ? c
                      : new ChatException(ErrorCode.INTERNAL, "internal error; retry");
          ws.writeTextMessage((ce == null ? ok(id, ar.result()) : error(id, ce)).encode());
        });
  }

  private Future<JsonObject> hello(JsonObject p) {
    String name = p.getString("server", "");
    long epoch = p.getLong("epoch", -1L);
    String address = ws.remoteAddress() == null ? "unknown" : ws.remoteAddress().host();
    Future<Principal> who =
        !auth.enabled()
            ? Future.succeededFuture(Principal.of(name, Role.PEER))
            : auth.verifyToken(p.getString("token", ""), address);
    return who.compose(
        principal ->
            context.call(
                () -> {
                  if (!principal.has(Role.PEER) || name.isEmpty()) {
                    return Future.failedFuture(
                        new ChatException(ErrorCode.FORBIDDEN, "a peer link needs the peer role"));
                  }
                  if (!router.leading() || router.epoch() != epoch) {
                    return Future.failedFuture(
                        new ChatException(
                            ErrorCode.NOT_OWNER,
                            "this server does not route at epoch " + epoch + "; read the lease"));
                  }
                  if (server == null) {
                    server = name;
                    access = new LocalAccess(router, name, host::moved);
                    host.attached(name, this);
                  }
                  return Future.succeededFuture(new JsonObject().put("epoch", router.epoch()));
                }));
  }

  private Future<JsonObject> applySafely(String op, JsonObject p) {
    try {
      return apply(op, p);
    } catch (RuntimeException e) {
      return Future.failedFuture(
          e instanceof ChatException ? e : ChatException.badRequest("bad " + op + ": " + e));
    }
  }

  private Future<JsonObject> apply(String op, JsonObject p) {
    if (access == null) {
      return Future.failedFuture(new ChatException(ErrorCode.UNAUTHORIZED, "say hello first"));
    }
    String agentId = p.getString("agentId", "");
    boolean decision = OP_ONLINE.equals(op) || OP_SET_STATE.equals(op) || OP_ACCEPTING.equals(op);
    if (decision && !router.leading()) {
      // Facts (accept done, chat ended, released, left, offline) are applied whatever the lease
      // says: losing one would hold a seat for ever. Decisions wait for a valid lease.
      return Future.failedFuture(
          new ChatException(
              ErrorCode.INSTANCE_UNAVAILABLE, "the routing is changing hands; retry in a second"));
    }
    JsonObject none = new JsonObject();
    switch (op) {
      case OP_ONLINE:
        return access.online(registration(p)).map(PeerFrames::view);
      case OP_SET_STATE:
        return access
            .setState(agentId, state(p.getString("state")), p.getString("reason", ""))
            .map(PeerFrames::view);
      case OP_ACCEPTING:
        return access.accepting(agentId, p.getString("offerId", "")).map(PeerFrames::offer);
      case OP_REJECT:
        return access.reject(agentId, p.getString("offerId", "")).map(v -> none);
      case OP_OFFLINE:
        access.offline(agentId);
        break;
      case OP_FORGET:
        access.forget(agentId);
        break;
      case OP_ACCEPT_DONE:
        access.acceptDone(
            p.getString("offerId", ""), AcceptOutcome.valueOf(p.getString("outcome", "FAILED")));
        break;
      case OP_CHAT_ENDED:
        access.chatEnded(agentId, p.getString("chatId", ""), p.getBoolean("byAgent", false));
        break;
      case OP_RELEASED:
        access.released(agentId, p.getString("chatId", ""));
        break;
      case OP_LEFT:
        access.left(agentId, p.getString("chatId", ""));
        break;
      default:
        return Future.failedFuture(new ChatException(ErrorCode.NOT_FOUND, "unknown op " + op));
    }
    return Future.succeededFuture(none);
  }
}
