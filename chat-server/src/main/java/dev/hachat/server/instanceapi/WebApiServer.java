package dev.hachat.server.instanceapi;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.ConnectionCap;
import dev.hachat.common.limit.WriteBudget;
import dev.hachat.server.config.WebApiPortOptions;
import dev.hachat.server.metrics.ErrorKpi;
import dev.hachat.server.session.ChatEngine;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.function.Consumer;

/**
 * The customer-side HTTP/JSON and WebSocket port of an instance (docs/webapi-port.md). With
 * security on, creating a chat ({@code POST /v1/chats}) needs a peer token: customers reach
 * instances only through web API servers; the token is checked before the body is read. New chats
 * are limited per customer address ({@link NewChatLimit}). Every per-chat request is authenticated
 * by its participant id and secure key (in its body, at most {@code webapi.max-body-size}).
 */
public final class WebApiServer {
  /** How often addresses idle for {@code KeyedRateLimiter.IDLE_EVICTION} are forgotten. */
  private static final long EVICT_EVERY_MS = 60_000;

  private final Vertx vertx;
  private final ChatEngine engine;
  private final WebApiPortOptions options;
  private final String logPrefix;
  private final Authenticator auth;
  private HttpServer server;
  private long evictTimer = -1;

  private WebApiServer(
      Vertx vertx, ChatEngine engine, WebApiPortOptions options, Authenticator auth) {
    this.vertx = vertx;
    this.engine = engine;
    this.options = options;
    this.auth = auth;
    this.logPrefix = "[" + engine.instanceId() + "]";
  }

  /** An open port: anyone may create a chat (loopback, tests). */
  public static WebApiServer create(Vertx vertx, ChatEngine engine, WebApiPortOptions options) {
    return create(vertx, engine, options, Authenticator.open());
  }

  /** As above; with {@code auth} enabled a new chat needs a peer token. */
  public static WebApiServer create(
      Vertx vertx, ChatEngine engine, WebApiPortOptions options, Authenticator auth) {
    return new WebApiServer(vertx, engine, options, auth);
  }

  /** Binds; the Future gives the actual port (useful with port 0). */
  public Future<Integer> listen() {
    Router router = Router.router(vertx);
    ChatRoutes chats = new ChatRoutes(engine);
    router
        .get("/v1/chats/:chatId/events")
        .handler(
            ctx ->
                ctx.request()
                    .toWebSocket()
                    .onSuccess(
                        ws ->
                            new PushConnection(
                                    ws,
                                    engine,
                                    new WriteBudget(
                                        options.getMaxQueuedEvents(), options.getMaxQueuedBytes()),
                                    options.getIdleTimeout() * 500L,
                                    options.getHelloTimeout() * 1000L)
                                .start(ctx.pathParam("chatId")))
                    .onFailure(ctx::fail));
    // The peer token is checked before the body is read: a refused caller's body never is.
    router.post("/v1/chats").handler(this::peersOnly);
    router
        .route("/v1/*")
        .method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(options.getMaxBodySize()));
    NewChatLimit newChats = new NewChatLimit(options, auth.enabled(), engine.kpi().limits());
    evictTimer = vertx.setPeriodic(EVICT_EVERY_MS, t -> newChats.evictIdle());
    router.post("/v1/chats").handler(newChats);
    post(router, "/v1/chats", chats::requestChat);
    post(router, "/v1/chats/:chatId/send", chats::send);
    post(router, "/v1/chats/:chatId/customNotice", chats::customNotice);
    post(router, "/v1/chats/:chatId/startTyping", chats::startTyping);
    post(router, "/v1/chats/:chatId/stopTyping", chats::stopTyping);
    post(router, "/v1/chats/:chatId/updateNickname", chats::updateNickname);
    post(router, "/v1/chats/:chatId/updateData", chats::updateData);
    post(router, "/v1/chats/:chatId/refresh", chats::refresh);
    post(router, "/v1/chats/:chatId/disconnect", chats::disconnect);
    router.route().failureHandler(this::failure);
    router.errorHandler(404, this::failure);
    router.errorHandler(405, this::failure);
    router.errorHandler(413, this::failure);
    server =
        new ConnectionCap(
                options.getMaxConnectionsPerAddress(), engine.kpi().limits()::connectionRefused)
            .newServer(vertx, options, options.getIdleTimeout())
            .requestHandler(router);
    return server.listen(options.getPort(), options.getHost()).map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    vertx.cancelTimer(evictTimer);
    return server == null ? Future.succeededFuture() : server.close();
  }

  private static void post(Router router, String path, Consumer<RoutingContext> handler) {
    router.post(path).handler(handler::accept);
  }

  /**
   * The guard of {@code POST /v1/chats}, in front of the body reader: the request is paused while
   * the token is checked (asynchronously); the body reader resumes it. A refusal is answered while
   * the body is still unread, and {@link HttpErrors#send} then closes the connection.
   */
  private void peersOnly(RoutingContext ctx) {
    ctx.request().pause();
    HttpCredentials.require(auth, ctx.request(), Role.PEER)
        .onSuccess(p -> ctx.next())
        .onFailure(
            e -> {
              if (e instanceof ChatException ce && ce.code() == ErrorCode.RATE_LIMITED) {
                engine.kpi().limits().webapiLoginLimited();
              }
              ctx.fail(e);
            });
  }

  private void failure(RoutingContext ctx) {
    ChatException e = HttpErrors.classify(ctx.failure(), ctx.statusCode(), logPrefix);
    engine.kpi().errors().answered(ErrorKpi.Port.WEBAPI, e.code());
    HttpErrors.send(ctx, e);
  }
}
