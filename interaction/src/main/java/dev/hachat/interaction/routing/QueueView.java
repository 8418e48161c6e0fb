package dev.hachat.interaction.routing;

import java.util.List;

/**
 * One queue as it is now: chats waiting, the longest wait among them, and their ids in queue order
 * (a supervisor opens one from there).
 */
public record QueueView(String queue, int waiting, long longestWaitMs, List<String> chatIds) {
  public QueueView {
    chatIds = chatIds == null ? List.of() : List.copyOf(chatIds);
  }

  public QueueView(String queue, int waiting, long longestWaitMs) {
    this(queue, waiting, longestWaitMs, List.of());
  }
}
