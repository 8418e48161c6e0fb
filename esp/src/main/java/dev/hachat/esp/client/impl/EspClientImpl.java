package dev.hachat.esp.client.impl;

import static dev.hachat.esp.protocol.EspFrames.*;

import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.ChatInvited;
import dev.hachat.esp.client.ChatLocated;
import dev.hachat.esp.client.ChatSlice;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.esp.client.WaitingChat;
import dev.hachat.esp.protocol.FrameChannel;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/** The ESP client over a Vert.x WebSocket; thread-safe. */
public final class EspClientImpl implements EspClient {
  private final FrameChannel channel;
  private volatile Consumer<WaitingChat> onWaiting = c -> {};
  private volatile BiConsumer<String, String> onNoLongerWaiting = (c, r) -> {};
  private volatile Consumer<ChatLocated> onLocated = c -> {};
  private volatile Consumer<ChatInvited> onInvited = c -> {};
  private volatile BiConsumer<String, Entry> onEntry = (c, e) -> {};
  private volatile BiConsumer<String, String> onClosed = (c, r) -> {};
  private volatile BiConsumer<String, String> onNotice = (c, n) -> {};
  private volatile Consumer<Short> onDisconnected = c -> {};
  private volatile Consumer<JsonObject> onRoomEvent = f -> {};

  private EspClientImpl(FrameChannel channel) {
    this.channel = channel;
  }

  public static Future<EspClient> connect(Vertx vertx, EspClientOptions options) {
    return FrameChannel.connect(
            vertx,
            options.getHost(),
            options.getPort(),
            PATH,
            options.getTlsTrustFile(),
            options.getRequestTimeout())
        .map(
            ch -> {
              EspClientImpl c = new EspClientImpl(ch);
              ch.onEvent(c::onEvent).onClosed(code -> c.onDisconnected.accept(code));
              return c;
            });
  }

  private void onEvent(JsonObject f) {
    String chatId = f.getString("chatId");
    switch (f.getString("event", "")) {
      case EVENT_ENTRY -> onEntry.accept(chatId, EntryJson.fromJson(f.getJsonObject("entry")));
      case EVENT_CHAT_WAITING -> onWaiting.accept(waiting(f.getJsonObject("chat")));
      case EVENT_CHAT_NO_LONGER_WAITING ->
          onNoLongerWaiting.accept(chatId, f.getString("reason", "closed"));
      case EVENT_CHAT_LOCATED ->
          onLocated.accept(
              new ChatLocated(chatId, f.getString("instanceId"), f.getLong("epoch", 0L)));
      case EVENT_CHAT_INVITED ->
          onInvited.accept(
              new ChatInvited(
                  chatId,
                  f.getString("agentId"),
                  f.getString("mode"),
                  f.getString("from", ""),
                  f.getString("instanceId")));
      case EVENT_CHAT_CLOSED -> onClosed.accept(chatId, f.getString("reason"));
      case EVENT_NOTICE -> onNotice.accept(chatId, f.getString("code"));
      default -> {
        if (f.getString("event", "").startsWith("room")) {
          onRoomEvent.accept(f);
        }
      }
    }
  }

  @Override
  public Future<JsonObject> request(String op, JsonObject params) {
    return channel.request(op, params);
  }

  @Override
  public EspClient onRoomEvent(Consumer<JsonObject> handler) {
    this.onRoomEvent = handler;
    return this;
  }

  private static JsonObject chat(String chatId) {
    return new JsonObject().put("chatId", chatId);
  }

  @Override
  public Future<Void> login(String agentId, String nickname, String token) {
    JsonObject p = new JsonObject().put("agentId", agentId).put("nickname", nickname);
    if (token != null) {
      p.put("token", token);
    }
    return request(OP_LOGIN, p).mapEmpty();
  }

  @Override
  public Future<Void> loginWithPassword(String agentId, String nickname, String password) {
    return request(
            OP_LOGIN,
            new JsonObject()
                .put("agentId", agentId)
                .put("nickname", nickname)
                .put("password", password))
        .mapEmpty();
  }

  @Override
  public Future<List<WaitingChat>> listWaiting() {
    return waitingFrom(null, new ArrayList<>());
  }

  /** Asks page after page (each reply's {@code next}) until the list is complete. */
  private Future<List<WaitingChat>> waitingFrom(String after, List<WaitingChat> out) {
    return request(OP_LIST_WAITING, after == null ? null : new JsonObject().put("after", after))
        .compose(
            r -> {
              r.getJsonArray("chats").forEach(o -> out.add(waiting((JsonObject) o)));
              String next = r.getString("next");
              return next == null ? Future.succeededFuture(out) : waitingFrom(next, out);
            });
  }

  @Override
  public Future<AcceptedChat> accept(String chatId) {
    return request(OP_ACCEPT, chat(chatId)).compose(this::accepted);
  }

  @Override
  public Future<AcceptedChat> join(String chatId, String mode) {
    return request(OP_JOIN, chat(chatId).put("mode", mode)).compose(this::accepted);
  }

  @Override
  public Future<Entry> send(String chatId, String clientMessageId, String text, String visibility) {
    String id = clientMessageId != null ? clientMessageId : UUID.randomUUID().toString();
    return request(
            OP_SEND,
            chat(chatId).put("clientMessageId", id).put("text", text).put("visibility", visibility))
        .map(r -> EntryJson.fromJson(r.getJsonObject("entry")));
  }

  @Override
  public Future<Void> invite(String chatId, String agentId, String mode) {
    return request(OP_INVITE, chat(chatId).put("agentId", agentId).put("mode", mode)).mapEmpty();
  }

  @Override
  public Future<Entry> updateData(
      String chatId, java.util.Map<String, String> change, String visibility) {
    return request(
            OP_UPDATE_DATA,
            chat(chatId)
                .put("userData", new JsonObject(new java.util.LinkedHashMap<>(change)))
                .put("visibility", visibility))
        .map(r -> EntryJson.fromJson(r.getJsonObject("entry")));
  }

  @Override
  public Future<AcceptedChat> observe(String chatId) {
    return request(OP_OBSERVE, chat(chatId)).compose(this::accepted);
  }

  @Override
  public Future<Void> attach(String chatId, String participantId, String secureKey, long after) {
    return request(
            OP_ATTACH,
            chat(chatId)
                .put("participantId", participantId)
                .put("secureKey", secureKey)
                .put("after", after))
        .mapEmpty();
  }

  @Override
  public Future<Entry> send(String chatId, String clientMessageId, String text) {
    return message(OP_SEND, chatId, clientMessageId, text);
  }

  @Override
  public Future<Entry> customNotice(String chatId, String clientMessageId, String text) {
    return message(OP_CUSTOM_NOTICE, chatId, clientMessageId, text);
  }

  private Future<Entry> message(String op, String chatId, String clientMessageId, String text) {
    String id = clientMessageId != null ? clientMessageId : UUID.randomUUID().toString();
    return request(op, chat(chatId).put("clientMessageId", id).put("text", text))
        .map(r -> EntryJson.fromJson(r.getJsonObject("entry")));
  }

  @Override
  public Future<Entry> typing(String chatId, boolean typing) {
    return request(OP_TYPING, chat(chatId).put("typing", typing))
        .map(r -> EntryJson.fromJson(r.getJsonObject("entry")));
  }

  @Override
  public Future<ChatSlice> refresh(String chatId, long after) {
    return pagesAfter(chatId, after, new ArrayList<>());
  }

  /** Refreshes page after page while the reply says {@code more}; gives all of them as one. */
  private Future<ChatSlice> pagesAfter(String chatId, long after, List<Entry> out) {
    return request(OP_REFRESH, chat(chatId).put("after", after))
        .compose(
            r -> {
              out.addAll(EntryJson.fromJson(r.getJsonArray("entries")));
              long next = r.getLong("nextPosition");
              if (r.getBoolean("more", false)) {
                return pagesAfter(chatId, next - 1, out);
              }
              return Future.succeededFuture(new ChatSlice(out, next, r.getBoolean("chatEnded")));
            });
  }

  @Override
  public Future<Void> leave(String chatId) {
    return request(OP_LEAVE, chat(chatId)).mapEmpty();
  }

  @Override
  public Future<Void> leave(String chatId, String reason) {
    return request(OP_LEAVE, chat(chatId).put("reason", reason)).mapEmpty();
  }

  @Override
  public Future<Void> close(String chatId) {
    return request(OP_CLOSE, chat(chatId)).mapEmpty();
  }

  @Override
  public Future<Void> interactionStopped(String chatId) {
    return request(OP_INTERACTION_STOPPED, chat(chatId)).mapEmpty();
  }

  @Override
  public Future<Entry> queueNotice(String chatId, String text) {
    return request(OP_QUEUE_NOTICE, chat(chatId).put("text", text))
        .map(r -> EntryJson.fromJson(r.getJsonObject("entry")));
  }

  @Override
  public Future<Void> ping() {
    return request(OP_PING, null).mapEmpty();
  }

  @Override
  public Future<Void> disconnect() {
    return channel.close();
  }

  @Override
  public EspClient onChatWaiting(Consumer<WaitingChat> handler) {
    this.onWaiting = handler;
    return this;
  }

  @Override
  public EspClient onChatNoLongerWaiting(Consumer<String> handler) {
    this.onNoLongerWaiting = (chatId, reason) -> handler.accept(chatId);
    return this;
  }

  @Override
  public EspClient onWaitingEnded(BiConsumer<String, String> handler) {
    this.onNoLongerWaiting = handler;
    return this;
  }

  @Override
  public EspClient onChatLocated(Consumer<ChatLocated> handler) {
    this.onLocated = handler;
    return this;
  }

  @Override
  public EspClient onChatInvited(Consumer<ChatInvited> handler) {
    this.onInvited = handler;
    return this;
  }

  @Override
  public EspClient onEntry(BiConsumer<String, Entry> handler) {
    this.onEntry = handler;
    return this;
  }

  @Override
  public EspClient onChatClosed(BiConsumer<String, String> handler) {
    this.onClosed = handler;
    return this;
  }

  @Override
  public EspClient onNotice(BiConsumer<String, String> handler) {
    this.onNotice = handler;
    return this;
  }

  @Override
  public EspClient onDisconnected(Consumer<Short> handler) {
    this.onDisconnected = handler;
    return this;
  }

  private static WaitingChat waiting(JsonObject c) {
    Map<String, String> data = new java.util.LinkedHashMap<>();
    c.getJsonObject("userData", new JsonObject())
        .forEach(e -> data.put(e.getKey(), String.valueOf(e.getValue())));
    return new WaitingChat(
        c.getString("chatId"),
        c.getString("customer"),
        c.getString("subject"),
        data,
        c.getLong("createdAt", 0L));
  }

  /** An accept or observe reply, with the rest of the transcript if it came in pages. */
  private Future<AcceptedChat> accepted(JsonObject r) {
    String chatId = r.getString("chatId");
    List<Entry> first = EntryJson.fromJson(r.getJsonArray("entries"));
    long next = r.getLong("nextPosition");
    Future<ChatSlice> rest =
        r.getBoolean("more", false)
            ? pagesAfter(chatId, next - 1, new ArrayList<>())
            : Future.succeededFuture(new ChatSlice(List.of(), next, false));
    return rest.map(
        slice -> {
          List<Entry> all = new ArrayList<>(first);
          all.addAll(slice.entries());
          return new AcceptedChat(
              chatId,
              r.getString("participantId"),
              r.getString("secureKey"),
              all,
              slice.nextPosition());
        });
  }
}
