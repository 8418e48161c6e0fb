package dev.hachat.common.error;

import io.vertx.core.json.JsonObject;
import java.util.Objects;

/**
 * A typed, expected failure that a client sees as {@code {"error":{"code":…,"message":…}}}. Carries
 * no stack trace: it is a result, not a bug.
 */
public final class ChatException extends RuntimeException {

  private final ErrorCode code;
  private final JsonObject details;

  public ChatException(ErrorCode code, String message) {
    this(code, message, null);
  }

  /** With machine-readable details, e.g. the owner's location for {@link ErrorCode#NOT_OWNER}. */
  public ChatException(ErrorCode code, String message, JsonObject details) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code");
    this.details = details;
  }

  /** Details for the client, or {@code null}. */
  public JsonObject details() {
    return details;
  }

  public ErrorCode code() {
    return code;
  }

  /** The error object clients see: {@code {"code": "...", "message": "..."}}. */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("code", code.name()).put("message", getMessage());
    if (details != null) {
      json.put("details", details);
    }
    return json;
  }

  public static ChatException fromJson(JsonObject error) {
    return new ChatException(
        ErrorCode.fromWire(error.getString("code")),
        error.getString("message", ""),
        error.getJsonObject("details"));
  }

  public static ChatException badRequest(String message) {
    return new ChatException(ErrorCode.BAD_REQUEST, message);
  }

  @Override
  public String toString() {
    return code + ": " + getMessage();
  }
}
