package dev.hachat.interaction.leader;

import static dev.hachat.interaction.leader.PeerFrames.*;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.protocol.FrameChannel;
import dev.hachat.interaction.routing.AcceptOutcome;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.Offer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router at another interaction server, over a peer link ({@link PeerFrames}). Requests fail as
 * the router answered them, or INTERNAL when the link is gone; the others are sent and not waited
 * for. Thread-safe; replies and events arrive on the link's event loop.
 */
public final class RemoteAccess implements RouterAccess {
  private static final Logger LOG = LoggerFactory.getLogger(RemoteAccess.class);

  private final FrameChannel channel;
  private final String router;
  private final long epoch;

  private RemoteAccess(FrameChannel channel, String router, long epoch) {
    this.channel = channel;
    this.router = router;
    this.epoch = epoch;
  }

  /**
   * Connects to the router at {@code host:port} and says hello as {@code server}, expecting it to
   * hold the lease at {@code epoch}. {@code events} gets the router's events for this server's
   * agents and {@code closed} is called once when the link ends; both on the link's event loop.
   */
  public static Future<RemoteAccess> connect(
      Vertx vertx,
      String host,
      int port,
      String tlsTrustFile,
      String server,
      String token,
      long epoch,
      long requestTimeoutMs,
      Consumer<JsonObject> events,
      Runnable closed) {
    return FrameChannel.connect(vertx, host, port, PATH, tlsTrustFile, requestTimeoutMs)
        .compose(
            ch -> {
              ch.onEvent(events).onClosed(code -> closed.run());
              JsonObject hello = new JsonObject().put("server", server).put("epoch", epoch);
              if (token != null) {
                hello.put("token", token);
              }
              return ch.request(OP_HELLO, hello)
                  .map(r -> new RemoteAccess(ch, host + ":" + port, epoch))
                  .onFailure(e -> ch.close());
            });
  }

  /** The router's address. */
  public String router() {
    return router;
  }

  /** The epoch this link was opened for. */
  public long epoch() {
    return epoch;
  }

  public boolean isClosed() {
    return channel.isClosed();
  }

  public Future<Void> close() {
    return channel.close();
  }

  /**
   * A request whose answer the desktop waits for. A link that dropped or timed out, and a router
   * that routes no more, are INSTANCE_UNAVAILABLE: the desktop retries (docs/agent-api.md); the
   * router's own errors (NOT_FOUND for an offer gone, say) pass through.
   */
  private Future<JsonObject> ask(String op, JsonObject params) {
    return channel
        .request(op, params)
        .recover(
            e -> {
              if (e instanceof ChatException c
                  && c.code() != ErrorCode.INTERNAL
                  && c.code() != ErrorCode.NOT_OWNER) {
                return Future.failedFuture(c);
              }
              if (!(e instanceof ChatException c) || c.code() == ErrorCode.INTERNAL) {
                // no reply in time, or the link is gone: maybe half-open, so it is closed and the
                // next heartbeat dials the router again
                channel.close();
              }
              return Future.failedFuture(
                  new ChatException(
                      ErrorCode.INSTANCE_UNAVAILABLE,
                      "the router cannot be reached; retry in a second"));
            });
  }

  private void send(String op, JsonObject params) {
    channel
        .request(op, params)
        .onFailure(e -> LOG.debug("{} to router {} not done: {}", op, router, e.toString()));
  }

  @Override
  public Future<AgentView> online(Registration r) {
    return ask(OP_ONLINE, registration(r)).map(PeerFrames::view);
  }

  @Override
  public void offline(String agentId) {
    send(OP_OFFLINE, new JsonObject().put("agentId", agentId));
  }

  @Override
  public void forget(String agentId) {
    send(OP_FORGET, new JsonObject().put("agentId", agentId));
  }

  @Override
  public Future<AgentView> setState(String agentId, AgentState state, String reason) {
    return ask(
            OP_SET_STATE,
            new JsonObject()
                .put("agentId", agentId)
                .put("state", state.wireName())
                .put("reason", reason))
        .map(PeerFrames::view);
  }

  @Override
  public Future<Offer> accepting(String agentId, String offerId) {
    return ask(OP_ACCEPTING, new JsonObject().put("agentId", agentId).put("offerId", offerId))
        .map(PeerFrames::offer);
  }

  @Override
  public Future<Void> reject(String agentId, String offerId) {
    return ask(OP_REJECT, new JsonObject().put("agentId", agentId).put("offerId", offerId))
        .mapEmpty();
  }

  @Override
  public void acceptDone(String offerId, AcceptOutcome outcome) {
    send(OP_ACCEPT_DONE, new JsonObject().put("offerId", offerId).put("outcome", outcome.name()));
  }

  @Override
  public void chatEnded(String agentId, String chatId, boolean byAgent) {
    send(
        OP_CHAT_ENDED,
        new JsonObject().put("agentId", agentId).put("chatId", chatId).put("byAgent", byAgent));
  }

  @Override
  public void released(String agentId, String chatId) {
    send(OP_RELEASED, new JsonObject().put("agentId", agentId).put("chatId", chatId));
  }

  @Override
  public void left(String agentId, String chatId) {
    send(OP_LEFT, new JsonObject().put("agentId", agentId).put("chatId", chatId));
  }
}
