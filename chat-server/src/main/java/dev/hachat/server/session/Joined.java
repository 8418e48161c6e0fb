package dev.hachat.server.session;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import dev.hachat.store.ParticipantType;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * The answer to a join (request chat, accept, observe): who the caller is in the session and the
 * transcript so far.
 *
 * @param chatId the session
 * @param participantId the caller's participant id
 * @param type the caller's participant kind
 * @param secureKey the caller's secret for later requests (returned once, never stored)
 * @param entries committed transcript entries so far, including the caller's join
 */
public record Joined(
    String chatId,
    String participantId,
    ParticipantType type,
    String secureKey,
    List<Entry> entries) {

  public long nextPosition() {
    return entries.isEmpty() ? 1 : entries.get(entries.size() - 1).index() + 1;
  }

  /**
   * The reply to a join on the instance's ports (webapi {@code requestChat}, ESP {@code accept} and
   * {@code observe}): {@code chatId}, {@code participantId}, {@code secureKey}, {@code entries} and
   * {@code nextPosition}.
   */
  public JsonObject toJson() {
    return new JsonObject()
        .put("chatId", chatId)
        .put("participantId", participantId)
        .put("secureKey", secureKey)
        .put("entries", EntryJson.toJson(entries))
        .put("nextPosition", nextPosition());
  }
}
