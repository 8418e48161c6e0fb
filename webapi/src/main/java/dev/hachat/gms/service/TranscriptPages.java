package dev.hachat.gms.service;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;

/**
 * Cuts transcript messages into pages of at most {@code page-items} messages and {@code page-bytes}
 * bytes of their JSON, so that no GMS reply (REST or CometD) and no feed push carries a whole long
 * transcript. The first message of a page is always taken, whatever its size (one message is
 * bounded by the instances' {@code session.max-message-size}). Stateless.
 */
final class TranscriptPages {
  private final int maxItems;
  private final int maxBytes;

  TranscriptPages(int maxItems, int maxBytes) {
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /** How many of {@code messages}, from {@code from} on, make one page (one at least, if any). */
  int fit(JsonArray messages, int from) {
    long bytes = 0;
    int n = 0;
    for (int i = from; i < messages.size() && n < maxItems; i++, n++) {
      Object m = messages.getValue(i);
      String json = m instanceof JsonObject o ? o.encode() : String.valueOf(m);
      bytes += json.getBytes(StandardCharsets.UTF_8).length + 1;
      if (n > 0 && bytes > maxBytes) {
        break;
      }
    }
    return n;
  }

  /** The {@code n} messages from {@code from} on (a copy of the list, not of the messages). */
  static JsonArray slice(JsonArray messages, int from, int n) {
    return new JsonArray(new ArrayList<>(messages.getList().subList(from, from + n)));
  }

  /** The position after the last of {@code page}'s messages (non-empty, in index order). */
  static long after(JsonArray page) {
    return page.getJsonObject(page.size() - 1).getLong("index") + 1;
  }
}
