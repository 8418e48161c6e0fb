package dev.hachat.server.esp;

import dev.hachat.server.config.EspPortOptions;
import dev.hachat.server.session.ChatEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** The agent / interaction side ESP port of an instance. (Placeholder: being implemented.) */
public final class EspServer {
  private EspServer() {}

  public static EspServer create(Vertx vertx, ChatEngine engine, EspPortOptions options) {
    return new EspServer();
  }

  /** Binds; the Future gives the actual port (useful with port 0). */
  public Future<Integer> listen() {
    return Future.failedFuture(new UnsupportedOperationException("not implemented yet"));
  }

  public Future<Void> close() {
    return Future.succeededFuture();
  }
}
