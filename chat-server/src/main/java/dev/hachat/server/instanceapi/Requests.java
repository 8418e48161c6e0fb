package dev.hachat.server.instanceapi;

import dev.hachat.common.error.ChatException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reads and checks JSON request bodies; every problem is a BAD_REQUEST naming the field. */
final class Requests {
  private Requests() {}

  static JsonObject body(Buffer body) {
    if (body == null || body.length() == 0) {
      throw ChatException.badRequest("a JSON object body is required");
    }
    Object parsed;
    try {
      parsed = io.vertx.core.json.Json.decodeValue(body);
    } catch (DecodeException e) {
      throw ChatException.badRequest("the body is not valid JSON");
    }
    if (parsed instanceof JsonObject json) {
      return json;
    }
    if (parsed instanceof Map<?, ?> map) {
      @SuppressWarnings("unchecked")
      Map<String, Object> fields = (Map<String, Object>) map;
      return new JsonObject(fields);
    }
    throw ChatException.badRequest("the body must be a JSON object");
  }

  static String requiredString(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      throw ChatException.badRequest("field '" + field + "' is required");
    }
    if (!(v instanceof String s)) {
      throw ChatException.badRequest("field '" + field + "' must be a string");
    }
    return s;
  }

  static String optionalString(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String s)) {
      throw ChatException.badRequest("field '" + field + "' must be a string");
    }
    return s;
  }

  static long optionalPosition(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n) || n.doubleValue() != Math.floor(n.doubleValue())) {
      throw ChatException.badRequest("field '" + field + "' must be a whole number");
    }
    if (n.longValue() < 0) {
      throw ChatException.badRequest("field '" + field + "' must be >= 0");
    }
    return n.longValue();
  }

  static Map<String, String> stringMap(JsonObject json, String field) {
    return json.getValue(field) == null ? Map.of() : requiredStringMap(json, field);
  }

  /** A JSON object of strings, in the order sent. */
  static Map<String, String> requiredStringMap(JsonObject json, String field) {
    Object v = json.getValue(field);
    if (v == null) {
      throw ChatException.badRequest("field '" + field + "' is required");
    }
    if (!(v instanceof JsonObject obj)) {
      throw ChatException.badRequest("field '" + field + "' must be an object of strings");
    }
    Map<String, String> out = new LinkedHashMap<>();
    for (String key : obj.fieldNames()) {
      Object value = obj.getValue(key);
      if (!(value instanceof String s)) {
        throw ChatException.badRequest("field '" + field + "." + key + "' must be a string");
      }
      out.put(key, s);
    }
    return out;
  }
}
