package dev.hachat.gms.cometd.impl;

import io.vertx.core.http.ServerWebSocket;
import java.util.List;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxContext;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.server.websocket.common.AbstractWebSocketEndPoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Bayeux client on a Vert.x server WebSocket. Inbound: each text message goes to CometD's
 * {@link AbstractWebSocketEndPoint#onMessage}; the socket is paused until CometD has processed it,
 * as Jetty's end point does with its demand. Outbound: CometD's flusher sends one frame at a time
 * and waits for its write to complete, so a client that does not read lets its messages wait in the
 * Bayeux session queue and in the flusher; {@link SlowClients} bounds them ({@code maxQueue}, and
 * {@code maxQueuedBytes} until their write completed).
 *
 * <p>Threading: CometD calls {@link #send} and {@link #close} from its own threads; both hop onto
 * the socket's context before touching it.
 */
final class VertxWebSocketEndPoint extends AbstractWebSocketEndPoint {

  private static final Logger LOG = LoggerFactory.getLogger(VertxWebSocketEndPoint.class);

  /** Close code for a message larger than {@code maxMessageSize} (RFC 6455 "message too big"). */
  static final short CLOSE_TOO_BIG = 1009;

  /** Close code for a socket that sent nothing within the first-message timeout. */
  static final short CLOSE_FIRST_MESSAGE_TIMEOUT = 4001;

  private final io.vertx.core.Context context; // the socket's (CometD has a Context of its own)
  private final ServerWebSocket socket;
  private final int maxMessageSize;
  private final long firstMessageMs;
  private final Runnable firstMessageTimedOut;
  private long firstMessageTimer = -1;
  private volatile ServerSession session; // of the last send (one end point serves one session)

  VertxWebSocketEndPoint(
      VertxWebSocketTransport transport,
      BayeuxContext bayeuxContext,
      io.vertx.core.Context context,
      ServerWebSocket socket,
      int maxMessageSize,
      long firstMessageMs,
      Runnable firstMessageTimedOut) {
    super(transport, bayeuxContext);
    this.firstMessageTimedOut = firstMessageTimedOut;
    this.context = context;
    this.socket = socket;
    this.maxMessageSize = maxMessageSize;
    this.firstMessageMs = firstMessageMs;
  }

  /** Starts reading; call on the socket's context. */
  void start() {
    firstMessageTimer =
        context
            .owner()
            .setTimer(
                firstMessageMs,
                t -> {
                  if (!socket.isClosed()) {
                    firstMessageTimedOut.run();
                    close(CLOSE_FIRST_MESSAGE_TIMEOUT, "send the handshake within the timeout");
                  }
                });
    socket.textMessageHandler(this::onText);
    socket.binaryMessageHandler(b -> close(1003, "Bayeux over WebSocket is text"));
    socket.closeHandler(
        v -> {
          context.owner().cancelTimer(firstMessageTimer);
          Short code = socket.closeStatusCode();
          onClose(code == null ? 1006 : code, socket.closeReason());
        });
    socket.exceptionHandler(this::onError);
  }

  private void onText(String text) {
    if (firstMessageTimer >= 0) {
      context.owner().cancelTimer(firstMessageTimer);
      firstMessageTimer = -1;
    }
    if (text.length() > maxMessageSize) {
      close(CLOSE_TOO_BIG, "message larger than " + maxMessageSize);
      return;
    }
    socket.pause();
    try {
      onMessage(text, Promise.from(v -> onContext(socket::resume), this::handleFailure));
    } catch (RuntimeException e) {
      handleFailure(e);
    }
  }

  @Override
  protected void send(ServerSession session, String data, Promise<Void> promise) {
    this.session = session;
    onContext(
        () -> {
          if (socket.isClosed()) {
            promise.fail(new java.io.EOFException("WebSocket closed"));
            return;
          }
          Contexts.complete(socket.writeTextMessage(data), promise);
        });
  }

  @Override
  protected void writeComplete(Context flushed, List<ServerMessage> messages) {
    super.writeComplete(flushed, messages);
    SlowClients.written(session, messages); // sent before: CometD calls send for them first
  }

  @Override
  public void close(int code, String reason) {
    onContext(
        () -> {
          if (!socket.isClosed()) {
            socket.close((short) code, reason);
          }
        });
  }

  private void handleFailure(Throwable failure) {
    LOG.debug("Bayeux WebSocket failed, closing it", failure);
    close(1011, "internal error"); // the cause is logged, not told to the client
  }

  private void onContext(Runnable task) {
    Contexts.run(context, task);
  }
}
