package dev.hachat.interaction.routing;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The queued chats: by id, and per queue in offer order (highest priority, then oldest, then by
 * id). Not thread-safe; owned by the {@link Router}.
 */
final class Queues {
  private static final Comparator<QueuedChat> ORDER =
      Comparator.<QueuedChat>comparingInt(c -> -c.priority)
          .thenComparingLong(c -> c.createdAt)
          .thenComparing(c -> c.chatId);

  private final Map<String, QueuedChat> byId = new HashMap<>();
  private final Map<String, TreeSet<QueuedChat>> byQueue = new TreeMap<>();

  QueuedChat get(String chatId) {
    return byId.get(chatId);
  }

  void add(QueuedChat c) {
    byId.put(c.chatId, c);
    byQueue.computeIfAbsent(c.queue, q -> new TreeSet<>(ORDER)).add(c);
  }

  void drop(QueuedChat c) {
    byId.remove(c.chatId);
    TreeSet<QueuedChat> q = byQueue.get(c.queue);
    if (q != null) {
      q.remove(c);
    }
  }

  /** Every queue's chats, in offer order. */
  Collection<TreeSet<QueuedChat>> all() {
    return byQueue.values();
  }

  List<QueueView> views(long now) {
    List<QueueView> list = new ArrayList<>();
    byQueue.forEach(
        (name, q) ->
            list.add(
                new QueueView(
                    name,
                    q.size(),
                    q.stream().mapToLong(c -> now - c.queuedAt).max().orElse(0),
                    q.stream().map(c -> c.chatId).toList())));
    return list;
  }

  /** Every chat waiting without an offer out, with its 1-based place in its queue. */
  List<QueuePlace> places() {
    List<QueuePlace> list = new ArrayList<>();
    for (TreeSet<QueuedChat> q : byQueue.values()) {
      int place = 0;
      for (QueuedChat c : q) {
        place++;
        if (c.offer == null) {
          list.add(new QueuePlace(c.chatId, c.queue, c.instanceId, place, c.queuedAt));
        }
      }
    }
    return list;
  }
}
