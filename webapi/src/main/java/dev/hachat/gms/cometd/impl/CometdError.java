package dev.hachat.gms.cometd.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Failures the CometD endpoint answers itself (before or around the {@link
 * dev.hachat.gms.api.ChatService}), as GMS responses {@code {statusCode, errors:[{code, advice,
 * name}]}} with the same stable codes and names as the service's own errors (100 {@code
 * BAD_REQUEST}, 299 {@code INTERNAL}); the advice says what was wrong. Documented in {@code
 * docs/cometd.md}.
 */
enum CometdError {
  /**
   * The published {@code data} cannot be an operation: not an object, no or an unknown {@code
   * operation}, no chat to apply it to, a field of the wrong type. Fatal: resending it is useless.
   */
  BAD_REQUEST(2, 100),
  /** The chat service failed unexpectedly, or the feed could not start; retry. */
  INTERNAL(1, 299);

  private final int statusCode;
  private final int code;

  CometdError(int statusCode, int code) {
    this.statusCode = statusCode;
    this.code = code;
  }

  /** The GMS response for this failure. */
  JsonObject response(String advice) {
    JsonObject error = new JsonObject().put("code", code).put("advice", advice).put("name", name());
    return new JsonObject().put("statusCode", statusCode).put("errors", new JsonArray().add(error));
  }
}
