package dev.hachat.server.ops;

import io.vertx.core.json.JsonObject;

/**
 * What one evacuation did: chats handed over, chats that could not be, chats still held after it,
 * and how long it took. Immutable.
 */
public record EvacuationReport(int evacuated, int failed, int sessions, long tookMs) {

  /** As the admin port shows it ({@code evacuated}, {@code failed}, {@code sessions}, …). */
  public JsonObject toJson() {
    return new JsonObject()
        .put("evacuated", evacuated)
        .put("failed", failed)
        .put("sessions", sessions)
        .put("tookMs", tookMs);
  }
}
