package dev.hachat.interaction;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.interaction.instances.InstanceLinks;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;

/**
 * The interaction server's plain HTTP routes beside the agent API: {@code GET /health}, {@code GET
 * /metrics} (Prometheus), {@code GET /status} (queues and agents as JSON; with credentials
 * configured it needs an operator or supervisor), the dashboard page at {@code /} and the agent
 * desktop at {@code /desktop.html} (also {@code /desktop}).
 */
final class IxnHttp {
  private IxnHttp() {}

  static Router routes(
      Vertx vertx,
      String id,
      Authenticator auth,
      Switchboard board,
      InstanceLinks links,
      IxnMetrics metrics) {
    Router web = Router.router(vertx);
    web.route()
        .handler(
            ctx -> {
              ctx.response()
                  .putHeader(
                      "Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
                  .putHeader("X-Content-Type-Options", "nosniff")
                  .putHeader("X-Frame-Options", "DENY")
                  .putHeader("Cache-Control", "no-store");
              ctx.next();
            });
    web.get("/health")
        .handler(
            ctx -> {
              boolean up = links.connected() > 0;
              json(
                  ctx,
                  up ? 200 : 503,
                  new JsonObject()
                      .put("status", up ? "UP" : "NO_INSTANCE")
                      .put("id", id)
                      .put("instances", links.connected())
                      .put("routing", metrics.routing()));
            });
    web.get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    web.get("/status")
        .handler(
            ctx ->
                HttpCredentials.require(auth, ctx.request(), Role.OPERATOR, Role.SUPERVISOR)
                    .compose(p -> board.status())
                    .onSuccess(
                        s ->
                            json(
                                ctx,
                                200,
                                s.put("id", id).put("instancesConnected", links.connected())))
                    .onFailure(e -> refuse(ctx, e)));
    web.get("/desktop").handler(ctx -> ctx.reroute("/desktop.html"));
    web.route("/*").handler(StaticHandler.create("ixn-webroot").setIndexPage("dashboard.html"));
    return web;
  }

  private static void refuse(RoutingContext ctx, Throwable e) {
    ChatException ce =
        e instanceof ChatException c
            ? c
            : new ChatException(ErrorCode.INTERNAL, "internal error; retry");
    if (ce.code() == ErrorCode.UNAUTHORIZED) {
      ctx.response().putHeader("WWW-Authenticate", HttpCredentials.CHALLENGE);
    }
    json(ctx, ce.code().httpStatus(), new JsonObject().put("error", ce.toJson()));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
