package dev.hachat.common.limit;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ServerWebSocket;

/**
 * Pings a server WebSocket every half of its port's idle timeout: a connection with nothing to say
 * is idle but healthy and stays open; a dead peer still times out. The timer ends with the socket.
 */
public final class KeepAlive {
  private KeepAlive() {}

  public static void ping(Vertx vertx, ServerWebSocket ws, int idleTimeoutSeconds) {
    vertx.setPeriodic(
        idleTimeoutSeconds * 500L,
        id -> {
          if (ws.isClosed()) {
            vertx.cancelTimer(id);
          } else {
            ws.writePing(Buffer.buffer());
          }
        });
  }
}
