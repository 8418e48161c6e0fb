package dev.hachat.server.esp;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.SecurityOptions;
import dev.hachat.common.limit.ConnectionCap;
import dev.hachat.common.limit.KeepAlive;
import dev.hachat.esp.protocol.EspFrames;
import dev.hachat.server.config.EspPortOptions;
import dev.hachat.server.room.RoomHost;
import dev.hachat.server.room.RoomMoves;
import dev.hachat.server.session.ChatEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;

/** The agent / interaction side ESP port of an instance: WebSocket at {@code /esp}. */
public final class EspServer {
  private final Vertx vertx;
  private final ChatEngine engine;
  private final EspPortOptions options;
  private final Authenticator auth;
  private final long loginTimeoutMs;
  private final RoomHost rooms;
  private final RoomMoves moves;
  private HttpServer server;

  private EspServer(
      Vertx vertx,
      ChatEngine engine,
      EspPortOptions options,
      Authenticator auth,
      long loginTimeoutMs,
      RoomHost rooms,
      RoomMoves moves) {
    this.rooms = rooms;
    this.moves = moves;
    this.vertx = vertx;
    this.engine = engine;
    this.options = options;
    this.auth = auth;
    this.loginTimeoutMs = loginTimeoutMs;
  }

  /** An open ESP port (no credentials: any agent id logs in with every role), as in tests. */
  public static EspServer create(Vertx vertx, ChatEngine engine, EspPortOptions options) {
    return create(
        vertx,
        engine,
        options,
        Authenticator.open(),
        SecurityOptions.DEFAULT_LOGIN_TIMEOUT * 1000L);
  }

  /**
   * @param auth who may log in ({@link Authenticator#enabled()} false: open mode)
   * @param loginTimeoutMs how long a new connection has to log in before it is closed
   */
  public static EspServer create(
      Vertx vertx,
      ChatEngine engine,
      EspPortOptions options,
      Authenticator auth,
      long loginTimeoutMs) {
    return create(vertx, engine, options, auth, loginTimeoutMs, null, null);
  }

  /**
   * @param rooms the rooms this instance hosts, or null when it serves none
   * @param moves their placement (new rooms go to the least-loaded instance)
   */
  public static EspServer create(
      Vertx vertx,
      ChatEngine engine,
      EspPortOptions options,
      Authenticator auth,
      long loginTimeoutMs,
      RoomHost rooms,
      RoomMoves moves) {
    return new EspServer(vertx, engine, options, auth, loginTimeoutMs, rooms, moves);
  }

  /** Binds; the Future gives the actual port (useful with port 0). */
  public Future<Integer> listen() {
    server =
        new ConnectionCap(
                options.getMaxConnectionsPerAddress(), engine.kpi().limits()::connectionRefused)
            .newServer(vertx, options, options.getIdleTimeout())
            .webSocketHandshakeHandler(
                h -> {
                  if (EspFrames.PATH.equals(h.path())) {
                    h.accept();
                  } else {
                    h.reject(404);
                  }
                })
            .webSocketHandler(
                ws -> {
                  KeepAlive.ping(vertx, ws, options.getIdleTimeout());
                  new EspConnection(ws, engine, auth, loginTimeoutMs, options, rooms, moves)
                      .start(vertx);
                })
            .requestHandler(
                req ->
                    req.response()
                        .setStatusCode(404)
                        .putHeader("content-type", "application/json")
                        .end(
                            new JsonObject()
                                .put(
                                    "error",
                                    new JsonObject()
                                        .put("code", "NOT_FOUND")
                                        .put("message", "ESP is a WebSocket at " + EspFrames.PATH))
                                .encode()));
    return server.listen(options.getPort(), options.getHost()).map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }
}
