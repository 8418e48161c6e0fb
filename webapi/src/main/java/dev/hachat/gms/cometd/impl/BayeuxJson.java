package dev.hachat.gms.cometd.impl;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts between Vert.x JSON and the plain maps and lists CometD's JSON context reads and writes.
 */
final class BayeuxJson {

  private BayeuxJson() {}

  /** The {@code data} of a Bayeux message as a deep copy, or null when it is not an object. */
  static JsonObject fromBayeux(Object data) {
    if (data instanceof Map<?, ?> map) {
      Map<String, Object> copy = new LinkedHashMap<>();
      map.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return new JsonObject(copy).copy();
    }
    return null;
  }

  /** A deep copy of {@code json} made of maps, lists and scalars only. */
  static Map<String, Object> toBayeux(JsonObject json) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : json) {
      map.put(e.getKey(), plain(e.getValue()));
    }
    return map;
  }

  private static Object plain(Object value) {
    if (value instanceof JsonObject o) {
      return toBayeux(o);
    }
    if (value instanceof JsonArray a) {
      List<Object> list = new ArrayList<>(a.size());
      for (Object item : a) {
        list.add(plain(item));
      }
      return list;
    }
    return value;
  }
}
