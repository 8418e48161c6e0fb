package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.esp.protocol.EspFrames;
import dev.hachat.testing.Await;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A raw ESP WebSocket (docs/esp.md) from a chosen local address, for frames the Java client never
 * sends: text that is not JSON, requests without an id, huge messages. Replies are read one at a
 * time, in order; events are skipped. Blocking; one test thread drives it.
 */
final class EspSocket implements AutoCloseable {
  private static final long REPLY_WITHIN_S = 20;

  private final WebSocketClient client;
  private final WebSocket ws;
  private final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
  private final CompletableFuture<Short> closed = new CompletableFuture<>();
  private int nextId = 1;

  private EspSocket(WebSocketClient client, WebSocket ws) {
    this.client = client;
    this.ws = ws;
    ws.textMessageHandler(
        t -> {
          JsonObject frame = new JsonObject(t);
          if ("reply".equals(frame.getString("type"))) {
            replies.add(frame);
          }
        });
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
  }

  /** A connection to the ESP port {@code port} on 127.0.0.1 from {@code localAddress}. */
  static EspSocket connect(Vertx vertx, int port, String localAddress) throws Exception {
    return connect(vertx, port, localAddress, new WebSocketClientOptions().getMaxFrameSize());
  }

  /** As above, sending messages in frames of up to {@code maxFrameBytes} (64 KiB by default). */
  static EspSocket connect(Vertx vertx, int port, String localAddress, int maxFrameBytes)
      throws Exception {
    WebSocketClient client =
        vertx.createWebSocketClient(
            new WebSocketClientOptions()
                .setLocalAddress(localAddress)
                .setMaxFrameSize(maxFrameBytes));
    return new EspSocket(client, await(client.connect(port, "127.0.0.1", EspFrames.PATH)));
  }

  /** A request frame with the next id and {@code op}; the caller adds its fields. */
  JsonObject request(String op) {
    return new JsonObject().put("type", "request").put("id", nextId++).put("op", op);
  }

  /** Sends {@code request}; its reply. */
  JsonObject call(JsonObject request) throws Exception {
    return raw(request.encode());
  }

  /** Sends {@code text} as it is; the next reply. */
  JsonObject raw(String text) throws Exception {
    ws.writeTextMessage(text);
    JsonObject reply = replies.poll(REPLY_WITHIN_S, TimeUnit.SECONDS);
    if (reply == null) {
      throw new AssertionError("no ESP reply within " + REPLY_WITHIN_S + " s to " + abbrev(text));
    }
    return reply;
  }

  /** The error code of {@code reply}, or "ok". */
  static String code(JsonObject reply) {
    return reply.getBoolean("ok", false) ? "ok" : reply.getJsonObject("error").getString("code");
  }

  /** Sends {@code request}; the error code of its reply, or "ok". */
  String codeOf(JsonObject request) throws Exception {
    return code(call(request));
  }

  /** Logs in with an account password; the reply's code. */
  String login(String agentId, String password) throws Exception {
    return codeOf(
        request(EspFrames.OP_LOGIN)
            .put("agentId", agentId)
            .put("nickname", agentId)
            .put("password", password));
  }

  /** Sends {@code text} and waits for the server to close; its close code. */
  short sendAndAwaitClose(String text) throws Exception {
    ws.writeTextMessage(text);
    return closed.get(REPLY_WITHIN_S, TimeUnit.SECONDS);
  }

  private static String abbrev(String text) {
    return text.length() > 120 ? text.substring(0, 120) + "…" : text;
  }

  @Override
  public void close() {
    if (!ws.isClosed()) {
      Await.join(ws.close());
    }
    Await.join(client.close());
  }
}
