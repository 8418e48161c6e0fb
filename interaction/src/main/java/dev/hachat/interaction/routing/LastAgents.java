package dev.hachat.interaction.routing;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One agent per chat (the one it had last, or the one that left it), for the most recently used
 * {@code max} chats. Not thread-safe.
 */
final class LastAgents {
  private final Map<String, String> byChat;

  LastAgents(int max) {
    this.byChat =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > max;
          }
        };
  }

  void put(String chatId, String agentId) {
    byChat.put(chatId, agentId);
  }

  String get(String chatId) {
    return byChat.get(chatId);
  }

  String remove(String chatId) {
    return byChat.remove(chatId);
  }
}
