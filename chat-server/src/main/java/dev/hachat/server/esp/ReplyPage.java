package dev.hachat.server.esp;

import dev.hachat.server.config.EspPortOptions;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Function;

/**
 * Cuts the list in a reply ({@code accept}, {@code observe}, {@code refresh}, {@code listWaiting})
 * to one page of at most {@code esp.page-items} items and {@code esp.page-bytes} encoded bytes, so
 * a long chat or a long queue never makes a reply larger than a WebSocket message may be. The first
 * item is always taken, whatever its size (one entry is bounded by {@code
 * session.max-message-size}).
 */
final class ReplyPage {
  private final int maxItems;
  private final int maxBytes;

  ReplyPage(EspPortOptions options) {
    this(options.getPageItems(), options.getPageBytes());
  }

  ReplyPage(int maxItems, int maxBytes) {
    this.maxItems = maxItems;
    this.maxBytes = maxBytes;
  }

  /** What was taken: the JSON items and whether more are left after them. */
  record Cut(JsonArray items, int taken, boolean more) {}

  <T> Cut cut(List<T> all, Function<T, JsonObject> toJson) {
    JsonArray out = new JsonArray();
    long bytes = 0;
    int i = 0;
    for (; i < all.size() && i < maxItems; i++) {
      JsonObject item = toJson.apply(all.get(i));
      bytes += item.encode().getBytes(StandardCharsets.UTF_8).length + 1;
      if (i > 0 && bytes > maxBytes) {
        break;
      }
      out.add(item);
    }
    return new Cut(out, i, i < all.size());
  }

  /**
   * A page of transcript entries: {@code entries}, {@code more}, and {@code nextPosition}, the
   * position after the last entry given when more are left (refresh from {@code nextPosition - 1}),
   * else {@code nextPosition} itself.
   */
  JsonObject entries(List<Entry> entries, long nextPosition) {
    Cut c = cut(entries, EntryJson::toJson);
    long next = c.more() ? entries.get(c.taken() - 1).index() + 1 : nextPosition;
    return new JsonObject()
        .put("entries", c.items())
        .put("nextPosition", next)
        .put("more", c.more());
  }
}
