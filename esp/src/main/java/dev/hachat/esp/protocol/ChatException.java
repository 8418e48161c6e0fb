package dev.hachat.esp.protocol;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A typed, expected failure that a client sees as {@code {"error":{"code":…,"message":…}}}. Carries
 * no stack trace: it is a result, not a bug.
 */
public final class ChatException extends RuntimeException {

  private final ErrorCode code;

  public ChatException(ErrorCode code, String message) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
  }

  public ErrorCode code() {
    return code;
  }

  /** The error object clients see: {@code {"code": "...", "message": "..."}}. */
  public JsonObject toJson() {
    return new JsonObject().put("code", code.name()).put("message", getMessage());
  }

  public static ChatException fromJson(JsonObject error) {
    return new ChatException(
        ErrorCode.fromWire(error.getString("code")), error.getString("message", ""));
  }

  public static ChatException badRequest(String message) {
    return new ChatException(ErrorCode.BAD_REQUEST, message);
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
