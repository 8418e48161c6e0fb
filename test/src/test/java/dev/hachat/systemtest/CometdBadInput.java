package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** SecuredBadInputIT's CometD cases, through the web API server at {@code gmsPort}. */
final class CometdBadInput {
  private final io.vertx.core.Vertx vertx;
  private final io.vertx.ext.web.client.WebClient http;
  private final int gmsPort;

  CometdBadInput(io.vertx.core.Vertx vertx, io.vertx.ext.web.client.WebClient http, int gmsPort) {
    this.vertx = vertx;
    this.http = http;
    this.gmsPort = gmsPort;
  }

  String url() {
    return "http://127.0.0.1:" + gmsPort + "/genesys/cometd";
  }

  /**
   * Bodies that are not JSON, an unknown channel and operation: each its code; the session goes on.
   */
  void badMessagesGetTheirCodes() throws Exception {
    String path = "/genesys/cometd";
    assertThat(post("not json").statusCode()).as("long-polling body not JSON").isEqualTo(400);
    WebSocket ws = await(vertx.createWebSocketClient().connect(gmsPort, "127.0.0.1", path));
    CompletableFuture<Short> closed = new CompletableFuture<>();
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    ws.writeTextMessage("not json");
    assertThat(closed.get(20, TimeUnit.SECONDS))
        .as("WebSocket message not JSON")
        .isEqualTo((short) 1011);

    CometdCustomer c = CometdCustomer.connect(url(), CometdCustomer.Transport.LONG_POLLING);
    try {
      JsonObject elsewhere = c.publishOn("/chat/room", new JsonObject().put("text", "hi"));
      assertThat(elsewhere.getBoolean("successful")).as("unknown channel").isFalse();
      assertThat(elsewhere.getString("error")).startsWith("403:");
      assertGmsError(c.call(new JsonObject().put("operation", "fly")), 100, "unknown operation");
      assertGmsError(
          c.call(new JsonObject().put("operation", "sendMessage").put("message", "hi")),
          100,
          "no chat for the operation");
      assertThat(c.requestChat("Comet").getInteger("statusCode"))
          .as("the session goes on")
          .isZero();
    } finally {
      c.close();
    }
  }

  HttpResponse<Buffer> post(String body) throws Exception {
    return await(
        http.post(gmsPort, "127.0.0.1", "/genesys/cometd")
            .putHeader("content-type", "application/json")
            .sendBuffer(Buffer.buffer(body)));
  }

  private static void assertGmsError(JsonObject reply, int code, String what) {
    assertThat(reply).as(what).isNotNull();
    assertThat(reply.getInteger("statusCode")).as(what).isEqualTo(2);
    assertThat(reply.getJsonArray("errors").getJsonObject(0).getInteger("code"))
        .as(what)
        .isEqualTo(code);
  }
}
