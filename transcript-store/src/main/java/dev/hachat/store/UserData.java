package dev.hachat.store;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A session's user data over time. The creation data lives in {@link SessionRecord#userData()};
 * each later change is a {@link EntryType#USER_DATA_UPDATED} entry whose text is a JSON object of
 * the keys it set. The current data is the creation data overlaid with every update in index order,
 * so any instance (and the contact history) rebuilds it from the transcript alone.
 */
public final class UserData {
  private UserData() {}

  /** The text of a {@link EntryType#USER_DATA_UPDATED} entry for these keys. */
  public static String encode(Map<String, String> changed) {
    return new JsonObject(new LinkedHashMap<>(changed)).encode();
  }

  /**
   * The keys an update entry set. A text that is not a JSON object (never written by this server)
   * sets nothing; a non-string value is taken as its JSON text.
   */
  public static Map<String, String> decode(String text) {
    JsonObject json;
    try {
      json = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    json.forEach(e -> out.put(e.getKey(), e.getValue() == null ? "" : e.getValue().toString()));
    return out;
  }

  /** Overlays {@code data} with what {@code entry} set, if it is a user-data update. */
  public static void apply(Map<String, String> data, Entry entry) {
    if (entry.type() == EntryType.USER_DATA_UPDATED) {
      data.putAll(decode(entry.text()));
    }
  }

  /** The creation data overlaid with every update among {@code entries}, in their order. */
  public static Map<String, String> current(Map<String, String> created, List<Entry> entries) {
    Map<String, String> data = new LinkedHashMap<>(created);
    for (Entry e : entries) {
      apply(data, e);
    }
    return Collections.unmodifiableMap(data);
  }
}
