package dev.hachat.gms.cometd.impl;

import dev.hachat.gms.api.ChatService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chats one Bayeux client works with: per chat the credentials it presented (so that, as with
 * GMS, later operations need only carry {@code secureKey}, or nothing) and the running transcript
 * feed; per service the chat it requested last (used when an operation names no {@code chatId}).
 *
 * <p>Threading: confined to the endpoint's context, like {@link ChatChannelService}.
 */
final class ClientChats {

  /** One chat of this client. */
  static final class Binding {
    final String serviceName;
    final String chatId;
    final JsonObject credentials = new JsonObject();

    /** Increases with every (re)start of the feed; updates of an older feed are ignored. */
    int feedGeneration;

    /** The lowest transcript index this client has not been given yet. */
    long nextIndex = 1;

    ChatService.Feed feed;

    /** The chat has ended (a response said so); it no longer counts as open. */
    boolean ended;

    Binding(String serviceName, String chatId) {
      this.serviceName = serviceName;
      this.chatId = chatId;
    }

    /** Keeps userId, alias and secureKey of {@code source} where it has them. */
    void remember(JsonObject source) {
      for (String key : new String[] {"userId", "alias", "secureKey"}) {
        Object value = source.getValue(key);
        if (value != null) {
          credentials.put(key, value);
        }
      }
    }

    /**
     * Drops from {@code response.messages} what the client was given already (a reply and the feed
     * may both carry a message) and notes what it will be given now. Returns false when nothing is
     * left worth sending: no message, not the end, no error.
     */
    boolean dropDelivered(JsonObject response) {
      JsonArray messages = response.getJsonArray("messages");
      if (messages == null) {
        return true;
      }
      JsonArray fresh = new JsonArray();
      for (Object item : messages) {
        if (item instanceof JsonObject m && m.getValue("index") instanceof Number index) {
          if (index.longValue() < nextIndex) {
            continue;
          }
          nextIndex = index.longValue() + 1;
        }
        fresh.add(item);
      }
      response.put("messages", fresh);
      if (Boolean.TRUE.equals(response.getValue("chatEnded"))) {
        ended = true;
      }
      return !fresh.isEmpty()
          || Boolean.TRUE.equals(response.getValue("chatEnded"))
          || !Integer.valueOf(0).equals(response.getValue("statusCode"));
    }

    boolean following() {
      return feed != null;
    }

    /** Stops the feed (idempotent) and makes any update still on its way stale. */
    void stopFeed() {
      feedGeneration++;
      if (feed != null) {
        feed.cancel();
        feed = null;
      }
    }
  }

  private final Map<String, Binding> byChatId = new HashMap<>();
  private final Map<String, String> lastChatByService = new HashMap<>();

  /** The chat an operation on {@code serviceName} means, or null. */
  String chatIdFor(String serviceName) {
    return lastChatByService.get(serviceName);
  }

  Binding binding(String chatId) {
    return byChatId.get(chatId);
  }

  Binding bind(String serviceName, String chatId) {
    lastChatByService.put(serviceName, chatId);
    return byChatId.computeIfAbsent(chatId, id -> new Binding(serviceName, id));
  }

  void unbind(Binding binding) {
    binding.stopFeed();
    byChatId.remove(binding.chatId);
    lastChatByService.remove(binding.serviceName, binding.chatId);
  }

  boolean isCurrent(Binding binding) {
    return byChatId.get(binding.chatId) == binding;
  }

  /** Stops every feed; the client is gone. */
  void clear() {
    List<Binding> all = new ArrayList<>(byChatId.values());
    byChatId.clear();
    lastChatByService.clear();
    all.forEach(Binding::stopFeed);
  }

  /** Chats of this client that have not ended (bounded by edge.max-chats-per-cometd-client). */
  int openChats() {
    int n = 0;
    for (Binding b : byChatId.values()) {
      if (!b.ended) {
        n++;
      }
    }
    return n;
  }

  int feedCount() {
    int n = 0;
    for (Binding b : byChatId.values()) {
      if (b.following()) {
        n++;
      }
    }
    return n;
  }
}
