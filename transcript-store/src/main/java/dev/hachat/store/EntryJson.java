package dev.hachat.store;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * The one JSON shape of a transcript entry on every port (GMS Chat API style):
 *
 * <pre>{@code
 * {"index": 3, "type": "Message", "text": "hello", "utcTime": 1700000000000,
 *  "from": {"participantId": "Xy..", "nickname": "Ann", "type": "Client"},
 *  "clientMessageId": "m-1"}
 * }</pre>
 *
 * {@code clientMessageId} is present on messages and custom notices (the sender's key), and as a
 * tag on an agent's join (its holder tag) and on a restore notice ({@link RestoreNotice}). {@code
 * visibility} ({@code "Int"}) is present only on entries agents and supervisors alone may read.
 */
public final class EntryJson {
  private EntryJson() {}

  public static JsonObject toJson(Entry e) {
    JsonObject json =
        new JsonObject()
            .put("index", e.index())
            .put("type", e.type().wireName())
            .put("text", e.text())
            .put("utcTime", e.utcTime())
            .put(
                "from",
                new JsonObject()
                    .put("participantId", e.participantId())
                    .put("nickname", e.nickname())
                    .put("type", e.participantType().wireName()));
    if (e.clientMessageId() != null) {
      json.put("clientMessageId", e.clientMessageId());
    }
    if (e.visibility() != Visibility.ALL) {
      json.put("visibility", e.visibility().wireName());
    }
    return json;
  }

  public static JsonArray toJson(List<Entry> entries) {
    JsonArray array = new JsonArray();
    for (Entry e : entries) {
      array.add(toJson(e));
    }
    return array;
  }

  public static Entry fromJson(JsonObject json) {
    JsonObject from = json.getJsonObject("from", new JsonObject());
    return new Entry(
        json.getLong("index"),
        EntryType.fromWireName(json.getString("type")),
        from.getString("participantId", ""),
        from.getString("nickname", ""),
        ParticipantType.fromWireName(from.getString("type", "System")),
        json.getString("text", ""),
        json.getLong("utcTime", 0L),
        json.getString("clientMessageId"),
        Visibility.fromWireName(json.getString("visibility")));
  }

  public static List<Entry> fromJson(JsonArray array) {
    List<Entry> list = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      list.add(fromJson(array.getJsonObject(i)));
    }
    return list;
  }
}
