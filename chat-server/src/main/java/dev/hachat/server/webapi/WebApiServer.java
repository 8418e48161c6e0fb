package dev.hachat.server.webapi;

import dev.hachat.server.config.WebApiPortOptions;
import dev.hachat.server.session.ChatEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The customer-side HTTP/WebSocket port of an instance. (Placeholder: being implemented.) */
public final class WebApiServer {
  private WebApiServer() {}

  public static WebApiServer create(Vertx vertx, ChatEngine engine, WebApiPortOptions options) {
    return new WebApiServer();
  }

  /** Binds; the Future gives the actual port (useful with port 0). */
  public Future<Integer> listen() {
    return Future.failedFuture(new UnsupportedOperationException("not implemented yet"));
  }

  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
