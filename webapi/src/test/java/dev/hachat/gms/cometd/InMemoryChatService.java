package dev.hachat.gms.cometd;

import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.api.Operation;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A small {@link ChatService} for the transport tests: chats in a map, a transcript per chat, feeds
 * that replay and then follow. Confined to one Vert.x context, like the real one's sessions. Not a
 * model of the real service's rules beyond the GMS shapes.
 */
final class InMemoryChatService implements ChatService {

  static final int WRONG_KEY = 103;
  static final int NO_SUCH_CHAT = 104;

  private final Context context;
  private final Map<String, Chat> chats = new HashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final AtomicInteger runningFeeds = new AtomicInteger();

  /** The client address of each requestChat, as the endpoint gave it (null included). */
  final List<String> requestAddresses = new java.util.concurrent.CopyOnWriteArrayList<>();

  InMemoryChatService(Vertx vertx) {
    this.context = vertx.getOrCreateContext();
  }

  private static final class Chat {
    final String serviceName;
    final String chatId;
    final String userId;
    final String secureKey;
    final String alias = "117";
    final String nickname;
    final List<JsonObject> transcript = new ArrayList<>();
    final List<Handler<JsonObject>> followers = new ArrayList<>();
    boolean ended;

    Chat(String serviceName, String chatId, String userId, String secureKey, String nickname) {
      this.serviceName = serviceName;
      this.chatId = chatId;
      this.userId = userId;
      this.secureKey = secureKey;
      this.nickname = nickname;
    }

    JsonObject append(String type, String participantType, String nick, String text) {
      JsonObject entry =
          new JsonObject()
              .put("index", transcript.size() + 1)
              .put("type", type)
              .put("text", text)
              .put("utcTime", System.currentTimeMillis())
              .put(
                  "from",
                  new JsonObject()
                      .put("nickname", nick)
                      .put("participantId", participantType.equals("Client") ? 1 : 2)
                      .put("type", participantType));
      transcript.add(entry);
      return entry;
    }

    int nextPosition() {
      return transcript.size() + 1;
    }

    JsonArray from(long position) {
      JsonArray out = new JsonArray();
      for (JsonObject e : transcript) {
        if (e.getInteger("index") >= position) {
          out.add(e.copy());
        }
      }
      return out;
    }
  }

  @Override
  public Future<JsonObject> requestChat(
      String serviceName, String clientAddress, JsonObject params) {
    requestAddresses.add(String.valueOf(clientAddress));
    return onContext(
        () -> {
          String nickname = params.getString("nickname");
          if (nickname == null || nickname.isBlank()) {
            return error(101, "nickname is required");
          }
          int n = ids.incrementAndGet();
          Chat chat = new Chat(serviceName, "chat-" + n, "user-" + n, "key-" + n, nickname);
          chats.put(chat.chatId, chat);
          chat.append("ParticipantJoined", "Client", nickname, "");
          return ok(chat)
              .put("userId", chat.userId)
              .put("secureKey", chat.secureKey)
              .put("chatId", chat.chatId)
              .put("messages", chat.from(1))
              .put("nextPosition", chat.nextPosition());
        });
  }

  @Override
  public Future<JsonObject> perform(
      String serviceName, String chatId, Operation op, JsonObject params) {
    return onContext(
        () -> {
          Chat chat = chats.get(chatId);
          if (chat == null) {
            return error(NO_SUCH_CHAT, "no chat " + chatId);
          }
          if (!chat.secureKey.equals(params.getString("secureKey"))
              || !chat.userId.equals(params.getString("userId"))) {
            return error(WRONG_KEY, "wrong userId or secureKey");
          }
          int before = chat.nextPosition();
          switch (op) {
            case SEND -> {
              if (chat.ended) {
                return error(203, "chat ended");
              }
              publish(
                  chat,
                  chat.append("Message", "Client", chat.nickname, params.getString("message")));
            }
            case START_TYPING ->
                publish(chat, chat.append("TypingStarted", "Client", chat.nickname, ""));
            case STOP_TYPING ->
                publish(chat, chat.append("TypingStopped", "Client", chat.nickname, ""));
            case CUSTOM_NOTICE ->
                publish(
                    chat,
                    chat.append(
                        "CustomNotice", "Client", chat.nickname, params.getString("message")));
            case DISCONNECT -> {
              if (!chat.ended) {
                chat.ended = true;
                publish(chat, chat.append("ParticipantLeft", "Client", chat.nickname, ""));
              }
            }
            case REFRESH -> {
              long position = params.getLong("transcriptPosition", 1L);
              return ok(chat)
                  .put("messages", chat.from(position))
                  .put("nextPosition", chat.nextPosition());
            }
            default -> {}
          }
          return ok(chat)
              .put("messages", chat.from(before))
              .put("nextPosition", chat.nextPosition());
        });
  }

  @Override
  public Future<Feed> follow(
      String serviceName, String chatId, JsonObject params, Handler<JsonObject> onUpdate) {
    return onContext(
        () -> {
          Chat chat = chats.get(chatId);
          if (chat == null || !chat.secureKey.equals(params.getString("secureKey"))) {
            onUpdate.handle(error(WRONG_KEY, "wrong key or no chat"));
            return () -> {};
          }
          long position = params.getLong("transcriptPosition", 1L);
          JsonArray backlog = chat.from(position);
          if (!backlog.isEmpty() || chat.ended) {
            onUpdate.handle(
                ok(chat).put("messages", backlog).put("nextPosition", chat.nextPosition()));
          }
          if (chat.ended) {
            return () -> {};
          }
          chat.followers.add(onUpdate);
          runningFeeds.incrementAndGet();
          boolean[] cancelled = {false};
          return () ->
              context.runOnContext(
                  v -> {
                    if (!cancelled[0]) {
                      cancelled[0] = true;
                      if (chat.followers.remove(onUpdate)) {
                        runningFeeds.decrementAndGet();
                      }
                    }
                  });
        });
  }

  /** A server-side event: the agent writes into the chat. */
  Future<Void> agentSays(String chatId, String text) {
    return onContext(
        () -> {
          Chat chat = chats.get(chatId);
          publish(chat, chat.append("Message", "Agent", "Alice", text));
          return null;
        });
  }

  /** The id of the chat created last. */
  String lastChatId() {
    return "chat-" + ids.get();
  }

  /** Number of feeds still attached to a chat. */
  int runningFeeds() {
    return runningFeeds.get();
  }

  private void publish(Chat chat, JsonObject entry) {
    JsonObject update =
        ok(chat)
            .put("messages", new JsonArray().add(entry.copy()))
            .put("nextPosition", chat.nextPosition());
    for (Handler<JsonObject> follower : List.copyOf(chat.followers)) {
      follower.handle(update.copy());
    }
    if (chat.ended) {
      runningFeeds.addAndGet(-chat.followers.size());
      chat.followers.clear();
    }
  }

  private static JsonObject ok(Chat chat) {
    return new JsonObject()
        .put("statusCode", 0)
        .put("alias", chat.alias)
        .put("chatEnded", chat.ended);
  }

  private static JsonObject error(int code, String advice) {
    return new JsonObject()
        .put("statusCode", 2)
        .put(
            "errors",
            new JsonArray().add(new JsonObject().put("code", code).put("advice", advice)));
  }

  private <T> Future<T> onContext(Supplier<T> work) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(
        v -> {
          try {
            promise.complete(work.get());
          } catch (RuntimeException e) {
            promise.fail(e);
          }
        });
    return promise.future();
  }
}
