package dev.hachat.server.admin;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The admin port's guard in front of every endpoint that changes state or reads transcripts: {@code
 * Authorization: Bearer <token>} of an operator or a peer, or {@code Basic} of an operator account
 * (a password login, throttled). 401 with {@code WWW-Authenticate} when the credential is missing
 * or wrong, 403 when its roles do not suffice, 429 when logins from the address are throttled;
 * bodies {@code {"error":{"code","message"}}}. Open mode (no credentials configured) lets every
 * request through. Stateless.
 *
 * <p>The guard runs before any body is read: the request is paused while the credential is checked
 * (asynchronously), the next handler (a {@code BodyHandler}) resumes it; a refused request's body
 * is never read, its connection is closed once the refusal is written.
 */
final class AdminAuth implements Handler<RoutingContext> {
  /** Largest {@code POST /admin/adopt} body: {@value} bytes (a list of chat ids). */
  static final int ADOPT_BODY_LIMIT = 1 << 20;

  private final Authenticator auth;
  private final Runnable rateLimited;

  /** {@code rateLimited} is told of each login refused RATE_LIMITED (a KPI). */
  AdminAuth(Authenticator auth, Runnable rateLimited) {
    this.auth = auth;
    this.rateLimited = rateLimited;
  }

  /**
   * Puts the guard in front of {@code POST /admin/*} and {@code GET /history/*}, then the body
   * reader of {@code POST /admin/adopt}: an unauthenticated caller cannot make the port buffer a
   * body. Mount before the endpoints' own handlers.
   */
  static void mount(Router router, Authenticator auth, Runnable rateLimited) {
    AdminAuth guard = new AdminAuth(auth, rateLimited);
    router.post("/admin/*").handler(guard);
    router.get("/history/*").handler(guard);
    router.post("/admin/adopt").handler(BodyHandler.create().setBodyLimit(ADOPT_BODY_LIMIT));
    router.post("/admin/rooms/*").handler(BodyHandler.create().setBodyLimit(ADOPT_BODY_LIMIT));
  }

  @Override
  public void handle(RoutingContext ctx) {
    HttpServerRequest request = ctx.request();
    request.pause(); // nothing of the body is read (nor lost) while the credential is checked
    String header = request.getHeader("Authorization");
    boolean basic = header != null && header.trim().regionMatches(true, 0, "Basic ", 0, 6);
    Role[] roles = basic ? new Role[] {Role.OPERATOR} : new Role[] {Role.OPERATOR, Role.PEER};
    HttpCredentials.require(auth, request, roles)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                ctx.next();
                request.resume(); // endpoints without a body reader ignore what is left
              } else {
                if (ar.cause() instanceof ChatException ce && ce.code() == ErrorCode.RATE_LIMITED) {
                  rateLimited.run();
                }
                refuse(ctx, ar.cause());
              }
            });
  }

  /** Answers a failed authentication: 401, 403 or 429 with the JSON error body. */
  private static void refuse(RoutingContext ctx, Throwable cause) {
    ChatException e =
        cause instanceof ChatException ce
            ? ce
            : new ChatException(ErrorCode.UNAUTHORIZED, "credentials could not be checked");
    int status =
        switch (e.code()) {
          case FORBIDDEN -> 403;
          case RATE_LIMITED -> 429;
          default -> 401;
        };
    if (status == 401) {
      ctx.response().putHeader("WWW-Authenticate", HttpCredentials.CHALLENGE);
    }
    String code = status == 401 ? ErrorCode.UNAUTHORIZED.name() : e.code().name();
    boolean unread = !ctx.request().isEnded();
    if (unread) {
      ctx.response().putHeader("connection", "close");
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("error", new JsonObject().put("code", code).put("message", e.getMessage()))
                .encode())
        .onComplete(
            v -> {
              if (unread) {
                ctx.request().connection().close(); // the body it still has is never read
              }
            });
  }
}
