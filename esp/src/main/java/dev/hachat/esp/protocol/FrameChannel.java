package dev.hachat.esp.protocol;

import dev.hachat.common.config.ClientTls;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The client side of a WebSocket carrying {@link EspFrames} (the ESP port and the interaction
 * server's agent API): numbered requests each answered by one reply, and events. A request not
 * answered within the timeout fails {@code INTERNAL}; every pending request fails when the
 * connection closes. Thread-safe.
 */
public final class FrameChannel {
  private final Vertx vertx;
  private final long requestTimeoutMs;
  private final WebSocketClient client; // referenced for the connection's lifetime
  private final WebSocket ws;
  private final AtomicLong ids = new AtomicLong();
  private final Map<Long, Promise<JsonObject>> pending = new ConcurrentHashMap<>();
  private volatile Consumer<JsonObject> onEvent = e -> {};
  private volatile Consumer<Short> onClosed = c -> {};

  private FrameChannel(Vertx vertx, long requestTimeoutMs, WebSocketClient client, WebSocket ws) {
    this.vertx = vertx;
    this.requestTimeoutMs = requestTimeoutMs;
    this.client = client;
    this.ws = ws;
  }

  /** Connects to {@code host:port} at {@code path}; {@code tlsTrustFile} empty: plain text. */
  public static Future<FrameChannel> connect(
      Vertx vertx, String host, int port, String path, String tlsTrustFile, long requestTimeoutMs) {
    WebSocketClient client =
        vertx.createWebSocketClient(
            ClientTls.trusting(tlsTrustFile).apply(new WebSocketClientOptions()));
    return client
        .connect(port, host, path)
        .map(
            ws -> {
              FrameChannel c = new FrameChannel(vertx, requestTimeoutMs, client, ws);
              ws.textMessageHandler(c::onFrame);
              ws.closeHandler(v -> c.closed());
              return c;
            })
        .onFailure(e -> client.close());
  }

  /** Events as they come (the whole frame); on the connection's event loop. */
  public FrameChannel onEvent(Consumer<JsonObject> handler) {
    this.onEvent = handler;
    return this;
  }

  /** Called once when the connection closes, with the close code (1006 if none). */
  public FrameChannel onClosed(Consumer<Short> handler) {
    this.onClosed = handler;
    return this;
  }

  /** Sends a request; its reply's {@code result}, or its error as a {@link ChatException}. */
  public Future<JsonObject> request(String op, JsonObject params) {
    long id = ids.incrementAndGet();
    Promise<JsonObject> p = Promise.promise();
    pending.put(id, p);
    long timer =
        vertx.setTimer(
            requestTimeoutMs,
            t -> {
              if (pending.remove(id) != null) {
                p.tryFail(new ChatException(ErrorCode.INTERNAL, op + ": no reply in time"));
              }
            });
    ws.writeTextMessage(EspFrames.request(id, op, params).encode())
        .onFailure(
            e -> {
              pending.remove(id);
              p.tryFail(new ChatException(ErrorCode.INTERNAL, op + ": " + e.getMessage()));
            });
    return p.future().andThen(ar -> vertx.cancelTimer(timer));
  }

  public boolean isClosed() {
    return ws.isClosed();
  }

  /** Closes the connection. */
  public Future<Void> close() {
    return ws.close().eventually(client::close);
  }

  private void onFrame(String text) {
    JsonObject f;
    try {
      f = new JsonObject(text);
    } catch (RuntimeException e) {
      return; // not a frame
    }
    if ("reply".equals(f.getString("type"))) {
      Object id = f.getValue("id");
      Promise<JsonObject> p = id instanceof Number n ? pending.remove(n.longValue()) : null;
      if (p == null) {
        return;
      }
      if (f.getBoolean("ok", false)) {
        p.tryComplete(f.getJsonObject("result", new JsonObject()));
      } else {
        p.tryFail(ChatException.fromJson(f.getJsonObject("error", new JsonObject())));
      }
      return;
    }
    onEvent.accept(f);
  }

  private void closed() {
    ChatException gone = new ChatException(ErrorCode.INTERNAL, "connection closed");
    pending.values().forEach(p -> p.tryFail(gone));
    pending.clear();
    Short code = ws.closeStatusCode();
    onClosed.accept(code == null ? (short) 1006 : code);
  }
}
