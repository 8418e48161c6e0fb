package dev.hachat.server.esp;

import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Rooms and room entries as ESP JSON (docs/rooms.md). Stateless. */
final class RoomJson {
  private RoomJson() {}

  static JsonObject room(RoomRecord r) {
    return new JsonObject()
        .put("roomId", r.id())
        .put("name", r.name())
        .put("topic", r.topic())
        .put("inviteOnly", r.inviteOnly())
        .put("memberLimit", r.memberLimit())
        .put("createdBy", r.createdBy())
        .put("createdAt", r.createdAt());
  }

  static JsonObject entry(RoomEntry e) {
    JsonObject j =
        new JsonObject()
            .put("index", e.index())
            .put("type", e.type().wireName())
            .put("text", e.text())
            .put("utcTime", e.utcTime());
    if (e.memberId() != null) {
      j.put("memberId", e.memberId()).put("nickname", e.nickname());
    }
    if (e.clientMessageId() != null) {
      j.put("clientMessageId", e.clientMessageId());
    }
    return j;
  }

  static JsonArray entries(List<RoomEntry> entries) {
    JsonArray a = new JsonArray();
    entries.forEach(e -> a.add(entry(e)));
    return a;
  }
}
