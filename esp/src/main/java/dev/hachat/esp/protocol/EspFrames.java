package dev.hachat.esp.protocol;

import dev.hachat.common.error.ChatException;
import io.vertx.core.json.JsonObject;

/**
 * The ESP frame format (docs/esp.md). Every frame is one JSON text message over the WebSocket at
 * {@value #PATH}:
 *
 * <ul>
 *   <li>request: {@code {"type":"request","id":7,"op":"accept","chatId":"…"}}
 *   <li>reply: {@code {"type":"reply","id":7,"ok":true,"result":{…}}} or {@code
 *       {"type":"reply","id":7,"ok":false,"error":{"code":"…","message":"…"}}}
 *   <li>event: {@code {"type":"event","event":"entry","chatId":"…","entry":{…}}}
 * </ul>
 */
public final class EspFrames {
  public static final String PATH = "/esp";

  /** WebSocket close code for a connection that fell too far behind. */
  public static final short CLOSE_SLOW_CONSUMER = 4008;

  /**
   * WebSocket close code for a connection that did not log in within {@code security.login-timeout}
   * (5 s by default).
   */
  public static final short CLOSE_LOGIN_TIMEOUT = 4001;

  /**
   * WebSocket close code (RFC 6455 "message too big") for a connection that sent a text message
   * larger than {@value #MAX_MESSAGE_BYTES} bytes: the message is not read, so its request could
   * never be answered.
   */
  public static final short CLOSE_MESSAGE_TOO_BIG = 1009;

  /**
   * The largest message (all its frames) a server reads: Vert.x's {@code maxWebSocketMessageSize}
   * default, four frames of 64 KiB.
   */
  public static final int MAX_MESSAGE_BYTES = 256 * 1024;

  public static final String OP_LOGIN = "login";
  public static final String OP_LIST_WAITING = "listWaiting";
  public static final String OP_ACCEPT = "accept";
  public static final String OP_OBSERVE = "observe";

  /** An invited agent joins beside the agent there: {@code mode} conference or consult. */
  public static final String OP_JOIN = "join";

  /** An agent in a chat invites another agent into it: a {@code chatInvited} event follows. */
  public static final String OP_INVITE = "invite";

  /** An agent sets user data keys of a chat it is in (a transfer sets the queue). */
  public static final String OP_UPDATE_DATA = "updateData";

  public static final String OP_ATTACH = "attach";
  public static final String OP_SEND = "send";
  public static final String OP_CUSTOM_NOTICE = "customNotice";
  public static final String OP_TYPING = "typing";
  public static final String OP_REFRESH = "refresh";
  public static final String OP_LEAVE = "leave";
  public static final String OP_CLOSE = "close";
  public static final String OP_INTERACTION_STOPPED = "interactionStopped";
  public static final String OP_QUEUE_NOTICE = "queueNotice";
  public static final String OP_PING = "ping";

  /** Room operations (docs/rooms.md): every op whose name starts with {@value #ROOM_PREFIX}. */
  public static final String ROOM_PREFIX = "room";

  public static final String OP_ROOM_CREATE = "roomCreate";
  public static final String OP_ROOM_INVITE = "roomInvite";
  public static final String OP_ROOM_JOIN = "roomJoin";
  public static final String OP_ROOM_ENTER = "roomEnter";
  public static final String OP_ROOM_POST = "roomPost";
  public static final String OP_ROOM_HISTORY = "roomHistory";
  public static final String OP_ROOM_LEAVE = "roomLeave";
  public static final String OP_ROOM_EXIT = "roomExit";
  public static final String OP_ROOM_LIST = "roomList";

  /** A new room entry: {@code roomId}, {@code entry}. */
  public static final String EVENT_ROOM_ENTRY = "roomEntry";

  /** Who is present in a room now: {@code roomId}, {@code present}. */
  public static final String EVENT_ROOM_PRESENCE = "roomPresence";

  /** A room left this instance: {@code roomId}, {@code instanceId}, {@code esp}; enter it there. */
  public static final String EVENT_ROOM_MOVED = "roomMoved";

  public static final String EVENT_CHAT_WAITING = "chatWaiting";
  public static final String EVENT_CHAT_NO_LONGER_WAITING = "chatNoLongerWaiting";
  public static final String EVENT_ENTRY = "entry";
  public static final String EVENT_NOTICE = "notice";
  public static final String EVENT_CHAT_CLOSED = "chatClosed";

  /** To workflow connections: a chat was restored on this instance (docs/esp.md). */
  public static final String EVENT_CHAT_LOCATED = "chatLocated";

  /** To workflow connections: an agent was invited into a chat (docs/esp.md). */
  public static final String EVENT_CHAT_INVITED = "chatInvited";

  private EspFrames() {}

  public static JsonObject request(long id, String op, JsonObject params) {
    JsonObject frame = params == null ? new JsonObject() : params.copy();
    return frame.put("type", "request").put("id", id).put("op", op);
  }

  public static JsonObject ok(Object id, JsonObject result) {
    return new JsonObject()
        .put("type", "reply")
        .put("id", id)
        .put("ok", true)
        .put("result", result == null ? new JsonObject() : result);
  }

  public static JsonObject error(Object id, ChatException e) {
    return new JsonObject()
        .put("type", "reply")
        .put("id", id)
        .put("ok", false)
        .put("error", e.toJson());
  }

  public static JsonObject event(String event, JsonObject body) {
    JsonObject frame = body == null ? new JsonObject() : body;
    return frame.put("type", "event").put("event", event);
  }
}
