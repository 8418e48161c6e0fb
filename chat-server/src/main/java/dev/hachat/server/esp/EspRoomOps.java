package dev.hachat.server.esp;

import static dev.hachat.esp.protocol.EspFrames.*;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.text.StorableText;
import dev.hachat.server.room.Entered;
import dev.hachat.server.room.Page;
import dev.hachat.server.room.Room;
import dev.hachat.server.room.RoomHost;
import dev.hachat.server.room.RoomListener;
import dev.hachat.server.room.RoomMoves;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRole;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The room operations of one ESP connection (docs/rooms.md): each reads its fields, checks them and
 * calls the room host; the rooms this connection entered are kept here, so their events reach it
 * and a closed connection leaves their presence. Thread-safe: frames arrive on the connection's
 * loop, room events on the rooms' contexts; shared state is in a concurrent map.
 */
final class EspRoomOps implements RoomListener {
  private static final int MAX_CLIENT_MESSAGE_ID = 128;
  private static final int MAX_MEMBER_ID = 128;
  private static final int MAX_NICKNAME = 64;

  /** {@code value}, if it has at most {@code max} characters and all storable; else BAD_REQUEST. */
  private static String checkStorable(String field, String value, int max) {
    if (value == null) {
      return null;
    }
    if (value.length() > max) {
      throw ChatException.badRequest("field '" + field + "' has at most " + max + " characters");
    }
    StorableText.check(field, value);
    return value;
  }

  private final RoomHost rooms;
  private final RoomMoves moves;
  private final EspConnection conn;
  private final Consumer<JsonObject> push;
  private final Map<String, Runnable> entered = new ConcurrentHashMap<>();

  /** {@code rooms} null: this instance serves no rooms (every room op is ROOM_NOT_FOUND). */
  EspRoomOps(RoomHost rooms, RoomMoves moves, EspConnection conn, Consumer<JsonObject> push) {
    this.rooms = rooms;
    this.moves = moves;
    this.conn = conn;
    this.push = push;
  }

  Future<JsonObject> dispatch(String op, JsonObject f) {
    if (rooms == null) {
      throw new ChatException(ErrorCode.ROOM_NOT_FOUND, "this instance serves no rooms");
    }
    // What goes into the room's history must be storable: PostgreSQL refuses some characters, and
    // one refused entry would fail every other member's post of the same write.
    checkStorable("nickname", conn.nickname(), MAX_NICKNAME);
    return switch (op) {
      case OP_ROOM_CREATE -> create(f);
      case OP_ROOM_INVITE ->
          room(f)
              .compose(
                  r ->
                      r.invite(
                          conn.agentId(),
                          checkStorable("memberId", EspOps.string(f, "memberId"), MAX_MEMBER_ID),
                          role(f)))
              .map(EspRoomOps::entryReply);
      case OP_ROOM_JOIN ->
          room(f).compose(r -> r.join(conn.agentId(), conn.nickname())).map(EspRoomOps::entryReply);
      case OP_ROOM_ENTER -> enter(f);
      case OP_ROOM_POST -> post(f);
      case OP_ROOM_HISTORY -> history(f);
      case OP_ROOM_LEAVE ->
          room(f)
              .compose(r -> r.leave(conn.agentId(), conn.nickname()))
              .map(e -> new JsonObject().put("entry", RoomJson.entry(e)));
      case OP_ROOM_EXIT -> {
        Runnable exit = entered.remove(EspOps.string(f, "roomId"));
        if (exit != null) {
          exit.run();
        }
        yield Future.succeededFuture(new JsonObject());
      }
      case OP_ROOM_LIST -> list();
      default -> throw new ChatException(ErrorCode.NOT_FOUND, "unknown op '" + op + "'");
    };
  }

  /** The connection closed: it is present nowhere any more. */
  void stop() {
    stopped = true;
    entered.values().forEach(Runnable::run);
    entered.clear();
  }

  /** Set once the connection closed: a seat taken after that is given up at once. */
  private volatile boolean stopped;

  private Future<JsonObject> create(JsonObject f) {
    String name = EspOps.string(f, "name");
    String topic = optionalString(f, "topic", "");
    boolean inviteOnly = Boolean.TRUE.equals(booleanField(f, "inviteOnly"));
    Integer limit = intField(f, "memberLimit");
    Future<Void> placed =
        Boolean.TRUE.equals(booleanField(f, "here")) ? Future.succeededFuture() : placement();
    return placed
        .compose(v -> rooms.create(conn.agentId(), name, topic, inviteOnly, limit))
        .map(r -> new JsonObject().put("room", RoomJson.room(r.record())));
  }

  /**
   * New rooms go to the least-loaded living instance: NOT_OWNER naming it when that is not here.
   */
  private Future<Void> placement() {
    return moves
        .placement()
        .compose(
            p -> {
              int mine = p.getOrDefault(rooms.instanceId(), 0);
              String best = rooms.instanceId();
              for (Map.Entry<String, Integer> e : p.entrySet()) {
                if (e.getValue() < p.getOrDefault(best, mine)) {
                  best = e.getKey();
                }
              }
              if (!best.equals(rooms.instanceId()) && p.get(best) < mine) {
                throw rooms.notOwner(best);
              }
              return Future.succeededFuture();
            });
  }

  private Future<JsonObject> enter(JsonObject f) {
    String roomId = EspOps.string(f, "roomId");
    long after = EspOps.position(f);
    return rooms
        .find(roomId)
        .compose(r -> r.enter(conn.agentId(), this, after, this))
        .map(
            (Entered e) -> {
              entered.put(roomId, e.exit()); // entering again replaces the seat (same key)
              if (stopped) {
                // The connection closed while the enter was on its way: no ghost member.
                Runnable exit = entered.remove(roomId);
                if (exit != null) {
                  exit.run();
                }
              }
              JsonArray members = new JsonArray();
              for (RoomMember m : e.members()) {
                members.add(
                    new JsonObject()
                        .put("memberId", m.memberId())
                        .put("role", m.role().wireName()));
              }
              return new JsonObject()
                  .put("room", RoomJson.room(e.room()))
                  .put("members", members)
                  .put("present", new JsonArray(e.present()))
                  .put("entries", RoomJson.entries(e.entries()))
                  .put("nextPosition", e.nextPosition())
                  .put("more", e.more());
            });
  }

  private Future<JsonObject> post(JsonObject f) {
    String cmid =
        checkStorable(
            "clientMessageId", EspOps.string(f, "clientMessageId"), MAX_CLIENT_MESSAGE_ID);
    if (!(f.getValue("text") instanceof String text)) {
      throw ChatException.badRequest("field 'text' (string) is required");
    }
    return room(f)
        .compose(r -> r.post(conn.agentId(), conn.nickname(), cmid, text))
        .map(e -> new JsonObject().put("entry", RoomJson.entry(e)));
  }

  private Future<JsonObject> history(JsonObject f) {
    Object before = f.getValue("before");
    boolean forward = before == null;
    long position;
    if (forward) {
      position = EspOps.position(f);
    } else if (before instanceof Number n && n.longValue() >= 1) {
      position = n.longValue();
    } else {
      throw ChatException.badRequest("field 'before' must be a number >= 1");
    }
    Integer limit = intField(f, "limit");
    int n = limit == null ? Integer.MAX_VALUE : limit;
    if (n < 1) {
      throw ChatException.badRequest("field 'limit' must be >= 1");
    }
    return room(f)
        .compose(r -> r.history(conn.agentId(), position, forward, n))
        .map(
            (Page p) ->
                new JsonObject()
                    .put("entries", RoomJson.entries(p.entries()))
                    .put("more", p.more()));
  }

  /** The open rooms hosted here and those of the caller's (an invite-only room stays unseen). */
  private Future<JsonObject> list() {
    return rooms
        .roomsOf(conn.agentId())
        .map(
            mine -> {
              JsonArray here = new JsonArray();
              for (Room r : rooms.hosted()) {
                if (!r.record().inviteOnly() || mine.contains(r.id())) {
                  here.add(RoomJson.room(r.record()));
                }
              }
              return new JsonObject()
                  .put("rooms", here)
                  .put("member", new JsonArray(List.copyOf(mine)));
            });
  }

  private Future<Room> room(JsonObject f) {
    return rooms.find(EspOps.string(f, "roomId"));
  }

  private static JsonObject entryReply(RoomEntry e) {
    return e == null ? new JsonObject() : new JsonObject().put("entry", RoomJson.entry(e));
  }

  private static RoomRole role(JsonObject f) {
    String r = optionalString(f, "role", "member");
    try {
      return RoomRole.fromWire(r);
    } catch (IllegalArgumentException e) {
      throw ChatException.badRequest("field 'role' is member or moderator");
    }
  }

  private static String optionalString(JsonObject f, String field, String otherwise) {
    Object v = f.getValue(field);
    if (v == null) {
      return otherwise;
    }
    if (!(v instanceof String s)) {
      throw ChatException.badRequest("field '" + field + "' must be a string");
    }
    return s;
  }

  private static Boolean booleanField(JsonObject f, String field) {
    Object v = f.getValue(field);
    if (v != null && !(v instanceof Boolean)) {
      throw ChatException.badRequest("field '" + field + "' must be true or false");
    }
    return (Boolean) v;
  }

  private static Integer intField(JsonObject f, String field) {
    Object v = f.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
      throw ChatException.badRequest("field '" + field + "' must be a whole number");
    }
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, n.longValue()));
  }

  // ---- room events to this connection ----------------------------------------------------------

  @Override
  public void onEntry(String roomId, RoomEntry entry) {
    push.accept(
        event(
            EVENT_ROOM_ENTRY,
            new JsonObject().put("roomId", roomId).put("entry", RoomJson.entry(entry))));
  }

  @Override
  public void onPresence(String roomId, List<String> present) {
    push.accept(
        event(
            EVENT_ROOM_PRESENCE,
            new JsonObject().put("roomId", roomId).put("present", new JsonArray(present))));
  }

  @Override
  public void onMoved(String roomId, String instanceId, String esp) {
    entered.remove(roomId);
    push.accept(
        event(
            EVENT_ROOM_MOVED,
            new JsonObject().put("roomId", roomId).put("instanceId", instanceId).put("esp", esp)));
  }
}
