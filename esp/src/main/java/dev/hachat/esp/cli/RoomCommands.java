package dev.hachat.esp.cli;

import static dev.hachat.esp.cli.AgentConsole.await;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The room commands of the command-line agent (docs/rooms.md): {@code /rooms}, {@code /room-create
 * NAME [| TOPIC]}, {@code /room ROOMID} (join if open, enter, make current), {@code /room-invite
 * AGENT [moderator]}, {@code /room-history [BEFORE]}, {@code /room-leave}; a line typed while a
 * room is current is posted to it. It prints room entries as {@code [room NAME #index] Nickname:
 * text}. The agent speaks to one instance: it creates rooms there ({@code here: true}), and a room
 * hosted elsewhere, or one that moves, is reported with the instance to connect to. Thread-safe.
 */
final class RoomCommands {
  private final EspClient client;
  private final Consumer<String> print;
  private volatile String current;
  private volatile String currentName;

  RoomCommands(EspClient client, Consumer<String> print) {
    this.client = client;
    this.print = print;
    client.onRoomEvent(this::onEvent);
  }

  /** The current room, or null. */
  String current() {
    return current;
  }

  /** Forgets the current room (a chat became current). */
  void clear() {
    current = null;
  }

  /** Handles a {@code /room…} command line; false if it is not one. */
  boolean handle(String line) {
    String[] w = line.split("\\s+", 2);
    String arg = w.length > 1 ? w[1].strip() : "";
    switch (w[0]) {
      case "/rooms" -> list();
      case "/room-create" -> create(arg);
      case "/room" -> enter(arg);
      case "/room-invite" -> invite(arg);
      case "/room-history" -> history(arg);
      case "/room-leave" -> {
        await(client.request("roomLeave", room()));
        print.accept("left room " + currentName);
        current = null;
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  /** Posts a line to the current room. */
  void post(String text) {
    try {
      await(
          client.request(
              "roomPost",
              room().put("clientMessageId", UUID.randomUUID().toString()).put("text", text)));
    } catch (ChatException e) {
      explain(e);
    }
  }

  private void list() {
    JsonObject r = await(client.request("roomList", null));
    r.getJsonArray("rooms").forEach(o -> print.accept("room here: " + describe((JsonObject) o)));
    print.accept(
        "member of: "
            + String.join(" ", r.getJsonArray("member").stream().map(String::valueOf).toList()));
  }

  private void create(String arg) {
    if (arg.isEmpty()) {
      print.accept("usage: /room-create NAME [| TOPIC]");
      return;
    }
    String[] parts = arg.split("\\|", 2);
    JsonObject p = new JsonObject().put("name", parts[0].strip()).put("here", true);
    if (parts.length > 1) {
      p.put("topic", parts[1].strip());
    }
    JsonObject room = await(client.request("roomCreate", p)).getJsonObject("room");
    print.accept("created " + describe(room));
    enter(room.getString("roomId"));
  }

  private void enter(String roomId) {
    if (roomId.isEmpty()) {
      print.accept("usage: /room ROOMID");
      return;
    }
    JsonObject id = new JsonObject().put("roomId", roomId);
    try {
      await(client.request("roomJoin", id.copy()));
      JsonObject r = await(client.request("roomEnter", id.copy()));
      current = roomId;
      currentName = r.getJsonObject("room").getString("name");
      print.accept(
          "in room "
              + describe(r.getJsonObject("room"))
              + "; present: "
              + r.getJsonArray("present").encode());
      r.getJsonArray("entries").forEach(e -> print.accept(format(currentName, (JsonObject) e)));
    } catch (ChatException e) {
      explain(e);
    }
  }

  private void invite(String arg) {
    String[] w = arg.split("\\s+");
    if (arg.isEmpty()) {
      print.accept("usage: /room-invite AGENT [moderator]");
      return;
    }
    JsonObject p = room().put("memberId", w[0]);
    if (w.length > 1) {
      p.put("role", w[1]);
    }
    await(client.request("roomInvite", p));
    print.accept(w[0] + " is a member of " + currentName);
  }

  private void history(String arg) {
    JsonObject p = room().put("limit", 20);
    if (!arg.isEmpty()) {
      p.put("before", Long.parseLong(arg));
    } else {
      p.put("before", Long.MAX_VALUE);
    }
    JsonArray entries = await(client.request("roomHistory", p)).getJsonArray("entries");
    for (int i = entries.size() - 1; i >= 0; i--) {
      print.accept(format(currentName, entries.getJsonObject(i)));
    }
  }

  private JsonObject room() {
    String r = current;
    if (r == null) {
      throw new IllegalStateException("no current room: /room ROOMID or /room-create NAME first");
    }
    return new JsonObject().put("roomId", r);
  }

  private void onEvent(JsonObject f) {
    String roomId = f.getString("roomId");
    String name = roomId.equals(current) ? currentName : roomId;
    switch (f.getString("event")) {
      case "roomEntry" -> print.accept(format(name, f.getJsonObject("entry")));
      case "roomPresence" ->
          print.accept("[room " + name + "] present: " + f.getJsonArray("present").encode());
      case "roomMoved" ->
          print.accept(
              "[room "
                  + name
                  + "] moved to instance "
                  + f.getString("instanceId")
                  + " (ESP "
                  + f.getString("esp")
                  + "): start the agent there to go on");
      default -> {}
    }
  }

  private void explain(ChatException e) {
    if (e.code() == ErrorCode.NOT_OWNER
        && e.details() != null
        && e.details().getString("esp") != null) {
      print.accept(
          "the room is hosted by instance "
              + e.details().getString("owner")
              + " (ESP "
              + e.details().getString("esp")
              + "): start the agent there");
    } else {
      print.accept("error: " + e.code() + " " + e.getMessage());
    }
  }

  private static String describe(JsonObject room) {
    return room.getString("roomId")
        + " \""
        + room.getString("name")
        + "\""
        + (room.getString("topic", "").isEmpty() ? "" : " — " + room.getString("topic"));
  }

  static String format(String room, JsonObject e) {
    String who = e.getString("nickname", "*");
    return "[room " + room + " #" + e.getLong("index") + "] " + who + ": " + e.getString("text");
  }
}
