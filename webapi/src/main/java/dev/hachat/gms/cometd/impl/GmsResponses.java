package dev.hachat.gms.cometd.impl;

import io.vertx.core.json.JsonObject;

/** Reading the fields of GMS responses and requests the endpoint acts on. */
final class GmsResponses {

  private GmsResponses() {}

  static boolean ok(JsonObject response) {
    return statusCode(response) == 0;
  }

  /** {@code statusCode}, 2 (fatal) when it is missing or not a number. */
  static int statusCode(JsonObject response) {
    return response.getValue("statusCode") instanceof Number n ? n.intValue() : 2;
  }

  static boolean ended(JsonObject response) {
    return Boolean.TRUE.equals(response.getValue("chatEnded"));
  }

  /** {@code nextPosition}, or {@code otherwise} when it is missing or invalid. */
  static long nextPosition(JsonObject response, long otherwise) {
    try {
      Long next = position(response.getValue("nextPosition"));
      return next == null ? otherwise : next;
    } catch (IllegalArgumentException e) {
      return otherwise;
    }
  }

  /**
   * A transcript position given as a number or a numeric string (GMS clients send both), null when
   * absent.
   *
   * @throws IllegalArgumentException when it is not an integer >= 1
   */
  static Long position(Object value) {
    if (value == null) {
      return null;
    }
    long position;
    try {
      position =
          value instanceof Number n
              ? n.longValue()
              : value instanceof String s ? Long.parseLong(s.trim()) : 0;
    } catch (NumberFormatException e) {
      position = 0;
    }
    if (position < 1) {
      throw new IllegalArgumentException("transcriptPosition must be an integer >= 1");
    }
    return position;
  }
}
