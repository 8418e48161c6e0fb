package dev.hachat.gms.service;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.json.JsonObject;
import java.util.regex.Pattern;

/** Checks of GMS request parameters; each failure names the parameter. */
final class Params {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");
  private static final int MAX_DATA_KEYS = 64;

  private final int maxSize;

  Params(int maxSize) {
    this.maxSize = maxSize;
  }

  String required(JsonObject params, String name) {
    String v = optional(params, name);
    if (v == null || v.isBlank()) {
      throw GmsErrors.badRequest("parameter '" + name + "' is required");
    }
    return v;
  }

  String optional(JsonObject params, String name) {
    Object v = params.getValue(name);
    if (v == null) {
      return null;
    }
    if (!(v instanceof String || v instanceof Number || v instanceof Boolean)) {
      throw GmsErrors.badRequest("parameter '" + name + "' must be a string");
    }
    String s = v.toString();
    if (s.length() > maxSize) {
      throw new ChatException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "parameter '" + name + "' is longer than " + maxSize + " characters");
    }
    return s;
  }

  /** An id (chatId, userId): 1-128 of A-Z a-z 0-9 _ -. */
  String id(JsonObject params, String name) {
    String v = required(params, name);
    if (!ID.matcher(v).matches()) {
      throw GmsErrors.badRequest("parameter '" + name + "' is not a valid id");
    }
    return v;
  }

  static boolean isId(String s) {
    return s != null && ID.matcher(s).matches();
  }

  /** {@code transcriptPosition}: an integer >= 1, or {@code dflt} when absent. */
  long position(JsonObject params, long dflt) {
    String v = optional(params, "transcriptPosition");
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      long p = Long.parseLong(v.trim());
      if (p < 1) {
        throw new NumberFormatException();
      }
      return p;
    } catch (NumberFormatException e) {
      throw GmsErrors.badRequest("parameter 'transcriptPosition' must be an integer >= 1");
    }
  }

  /** {@code userData}: an object of string values (numbers and booleans are taken as text). */
  JsonObject userData(JsonObject params) {
    Object v = params.getValue("userData");
    if (v == null) {
      return new JsonObject();
    }
    if (!(v instanceof JsonObject data)) {
      throw GmsErrors.badRequest("parameter 'userData' must be an object of strings");
    }
    if (data.size() > MAX_DATA_KEYS) {
      throw GmsErrors.badRequest("parameter 'userData' has more than " + MAX_DATA_KEYS + " keys");
    }
    JsonObject out = new JsonObject();
    for (String key : data.fieldNames()) {
      if (key.isEmpty() || key.length() > 256) {
        throw GmsErrors.badRequest("userData keys must be 1-256 characters");
      }
      out.put(key, optional(data, key));
      if (out.getValue(key) == null) {
        throw GmsErrors.badRequest("userData[" + key + "] must be a string");
      }
    }
    return out;
  }
}
