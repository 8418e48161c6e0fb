package dev.hachat.common.error;

/**
 * Every failure a client can see, with a stable code (the enum name) and the HTTP status the webapi
 * port uses. The same codes appear in ESP error replies. Documented in docs/webapi-port.md and
 * docs/esp.md; never rename one.
 */
public enum ErrorCode {
  /** The body is not valid JSON, a field is missing, or a field has the wrong type or value. */
  BAD_REQUEST(400, false),
  /** A message or notice text is longer than {@code max-message-size}. */
  MESSAGE_TOO_LARGE(400, false),
  /** The request body is larger than the port accepts. */
  REQUEST_TOO_LARGE(413, false),
  /** The ESP connection has not logged in, or its token is wrong. */
  UNAUTHORIZED(401, false),
  /** The participant id and secure key do not match a participant of this chat. */
  FORBIDDEN(403, false),
  /** No chat with this id is known to this instance or its store. */
  CHAT_NOT_FOUND(404, false),
  /** No such route or operation. */
  NOT_FOUND(404, false),
  /** The chat has ended; it accepts no more requests except reading its transcript. */
  CHAT_ENDED(410, false),
  /** Another agent has already accepted this chat. */
  ALREADY_TAKEN(409, false),
  /** The participant has already left this chat. */
  PARTICIPANT_LEFT(409, false),
  /** The chat has reached {@code max-participants}. */
  TOO_MANY_PARTICIPANTS(409, false),
  /**
   * The transcript holds {@code max-transcript-entries} entries or {@code max-transcript-bytes}
   * bytes: it takes no more messages, typing or updates; leaving and closing still work.
   */
  TRANSCRIPT_FULL(409, false),
  /** The instance holds {@code limit-for-sessions} sessions; try another instance. */
  SESSION_LIMIT_REACHED(503, true),
  /** The instance is disabled or stopping and takes no new sessions. */
  INSTANCE_UNAVAILABLE(503, true),
  /**
   * A rate limit was reached (new chats per client address, sends per participant, logins): wait
   * and retry; the advice says which limit.
   */
  RATE_LIMITED(429, true),
  /** The transcript store did not accept the write; nothing was acknowledged. Retry. */
  STORE_UNAVAILABLE(503, true),
  /** Another instance owns this chat now; the reply names it when known. */
  NOT_OWNER(409, true),
  /** No room with this id exists (docs/rooms.md). */
  ROOM_NOT_FOUND(404, false),
  /** The room has reached its member limit. */
  ROOM_FULL(409, false),
  /** The instance hosts {@code rooms.limit-for-rooms} rooms; try another instance. */
  ROOM_LIMIT_REACHED(503, true),
  /** An unexpected server error; the instance logged it. */
  INTERNAL(500, true);

  private final int httpStatus;
  private final boolean retryable;

  ErrorCode(int httpStatus, boolean retryable) {
    this.httpStatus = httpStatus;
    this.retryable = retryable;
  }

  public int httpStatus() {
    return httpStatus;
  }

  /** True when the same request may succeed later (or elsewhere) unchanged. */
  public boolean retryable() {
    return retryable;
  }

  /** The code for a name from the wire, or {@link #INTERNAL} for one this client does not know. */
  public static ErrorCode fromWire(String name) {
    try {
      return valueOf(name);
    } catch (IllegalArgumentException | NullPointerException e) {
      return INTERNAL;
    }
  }
}
