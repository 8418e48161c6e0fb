package dev.hachat.testing;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;

/**
 * An HTTP/1.1 request that announces a body and sends only its first bytes, never the rest: what a
 * server answers without reading the body (an authentication check in front of its body reader).
 */
public final class PartialRequest {
  private PartialRequest() {}

  /**
   * Writes {@code start} (request line, headers with a {@code content-length}, blank line, the
   * body's first bytes) to {@code 127.0.0.1:port}; the Future gives everything the server sent once
   * it closed the connection. It never completes when the server waits for the body: await it with
   * a deadline.
   */
  public static Future<String> answerBeforeClose(Vertx vertx, int port, String start) {
    NetClient client = vertx.createNetClient();
    Promise<String> answer = Promise.promise();
    StringBuilder text = new StringBuilder();
    client
        .connect(port, "127.0.0.1")
        .onFailure(answer::tryFail)
        .onSuccess(
            socket -> {
              socket.handler(b -> text.append(b.toString()));
              socket.closeHandler(v -> answer.tryComplete(text.toString()));
              socket.write(start);
            });
    return answer.future().eventually(client::close);
  }
}
