package dev.hachat.server.admin;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * The admin port's guard in front of every endpoint that changes state or reads transcripts: {@code
 * Authorization: Bearer <token>} of an operator or a peer, or {@code Basic} of an operator account
 * (a password login, throttled). 401 with {@code WWW-Authenticate} when the credential is missing
 * or wrong, 403 when its roles do not suffice, 429 when logins from the address are throttled;
 * bodies {@code {"error":{"code","message"}}}. Open mode (no credentials configured) lets every
 * request through. Stateless.
 */
final class AdminAuth implements Handler<RoutingContext> {
  private final Authenticator auth;

  AdminAuth(Authenticator auth) {
    this.auth = auth;
  }

  @Override
  public void handle(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    boolean basic = header != null && header.trim().regionMatches(true, 0, "Basic ", 0, 6);
    Role[] roles = basic ? new Role[] {Role.OPERATOR} : new Role[] {Role.OPERATOR, Role.PEER};
    HttpCredentials.require(auth, ctx.request(), roles)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                ctx.next();
              } else {
                refuse(ctx, ar.cause());
              }
            });
  }

  /** Answers a failed authentication: 401, 403 or 429 with the JSON error body. */
  static void refuse(RoutingContext ctx, Throwable cause) {
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
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(
            new JsonObject()
                .put("error", new JsonObject().put("code", code).put("message", e.getMessage()))
                .encode());
  }
}
