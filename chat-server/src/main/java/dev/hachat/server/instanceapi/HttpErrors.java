package dev.hachat.server.instanceapi;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns any failure into the documented JSON error body; unexpected ones are logged once. */
final class HttpErrors {
  private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

  private HttpErrors() {}

  static ChatException classify(Throwable failure, int statusCode, String logPrefix) {
    if (failure instanceof ChatException ce) {
      return ce;
    }
    if (failure instanceof HttpException he) {
      statusCode = he.getStatusCode();
    }
    if (statusCode == 413) {
      return new ChatException(ErrorCode.REQUEST_TOO_LARGE, "the request body is too large");
    }
    if (statusCode == 404) {
      return new ChatException(ErrorCode.NOT_FOUND, "no such endpoint");
    }
    if (statusCode == 405) {
      return new ChatException(ErrorCode.BAD_REQUEST, "method not allowed on this endpoint");
    }
    if (statusCode >= 400 && statusCode < 500 && failure == null) {
      return ChatException.badRequest("bad request");
    }
    LOG.error("{} unexpected failure", logPrefix, failure);
    return new ChatException(ErrorCode.INTERNAL, "internal error; the instance logged it");
  }

  /**
   * Answers {@code e}. A request whose body was not read (refused before its body reader) gets
   * {@code connection: close}, and its connection is closed once the answer is written: the rest of
   * its body is never read.
   */
  static void send(RoutingContext ctx, ChatException e) {
    int status =
        e.code() == ErrorCode.BAD_REQUEST && ctx.statusCode() == 405 ? 405 : e.code().httpStatus();
    if (ctx.response().ended()) {
      return;
    }
    boolean unread = !ctx.request().isEnded();
    if (unread) {
      ctx.response().putHeader("connection", "close");
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(new JsonObject().put("error", e.toJson()).encode())
        .onComplete(
            v -> {
              if (unread) {
                ctx.request().connection().close();
              }
            });
  }
}
