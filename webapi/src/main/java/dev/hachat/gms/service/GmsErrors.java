package dev.hachat.gms.service;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.Map;

/**
 * GMS error responses: {@code statusCode} 1 (retry) for retryable failures, 2 (fatal) for the
 * others, and {@code errors: [{code, advice, name}]} where {@code code} is a stable number and
 * {@code name} our stable error name (docs/gms-api.md lists both).
 */
public final class GmsErrors {
  public static final int OK = 0;
  public static final int RETRY = 1;
  public static final int FATAL = 2;

  private static final Map<ErrorCode, Integer> CODES = new EnumMap<>(ErrorCode.class);

  static {
    CODES.put(ErrorCode.BAD_REQUEST, 100);
    CODES.put(ErrorCode.MESSAGE_TOO_LARGE, 101);
    CODES.put(ErrorCode.REQUEST_TOO_LARGE, 102);
    CODES.put(ErrorCode.FORBIDDEN, 103);
    CODES.put(ErrorCode.UNAUTHORIZED, 103);
    CODES.put(ErrorCode.CHAT_NOT_FOUND, 104);
    CODES.put(ErrorCode.NOT_FOUND, 105);
    CODES.put(ErrorCode.CHAT_ENDED, 106);
    CODES.put(ErrorCode.PARTICIPANT_LEFT, 107);
    CODES.put(ErrorCode.TOO_MANY_PARTICIPANTS, 108);
    CODES.put(ErrorCode.ALREADY_TAKEN, 108);
    CODES.put(ErrorCode.TRANSCRIPT_FULL, 109);
    CODES.put(ErrorCode.SESSION_LIMIT_REACHED, 200);
    CODES.put(ErrorCode.INSTANCE_UNAVAILABLE, 201);
    CODES.put(ErrorCode.STORE_UNAVAILABLE, 202);
    CODES.put(ErrorCode.NOT_OWNER, 203);
    CODES.put(ErrorCode.RATE_LIMITED, 204);
    CODES.put(ErrorCode.INTERNAL, 299);
  }

  private GmsErrors() {}

  /** The GMS response for a failure; anything but a {@link ChatException} is INTERNAL. */
  public static JsonObject response(Throwable failure) {
    ChatException e =
        failure instanceof ChatException ce
            ? ce
            : new ChatException(ErrorCode.INTERNAL, "internal error; the web API server logged it");
    return new JsonObject()
        .put("statusCode", e.code().retryable() ? RETRY : FATAL)
        .put(
            "errors",
            new JsonArray()
                .add(
                    new JsonObject()
                        .put("code", CODES.getOrDefault(e.code(), 299))
                        .put("advice", e.getMessage())
                        .put("name", e.code().name())));
  }

  /** The HTTP status of a GMS response on the REST API: 200 when it is a success. */
  public static int httpStatus(JsonObject response) {
    if (response.getInteger("statusCode", OK) == OK) {
      return 200;
    }
    JsonArray errors = response.getJsonArray("errors");
    String name =
        errors == null || errors.isEmpty() ? null : errors.getJsonObject(0).getString("name");
    return ErrorCode.fromWire(name).httpStatus();
  }

  static ChatException badRequest(String message) {
    return new ChatException(ErrorCode.BAD_REQUEST, message);
  }
}
