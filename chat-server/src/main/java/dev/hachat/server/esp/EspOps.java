package dev.hachat.server.esp;

import dev.hachat.common.error.ChatException;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Session;
import dev.hachat.server.session.SessionSummary;
import dev.hachat.server.session.Transcript;
import dev.hachat.store.EntryJson;
import dev.hachat.store.ParticipantType;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The ESP operations after login: each reads its fields and calls the engine. */
final class EspOps {
  private final ChatEngine engine;
  private final EspConnection conn;

  EspOps(ChatEngine engine, EspConnection conn) {
    this.engine = engine;
    this.conn = conn;
  }

  Future<JsonObject> listWaiting() {
    JsonArray chats = new JsonArray();
    engine.waiting().forEach(s -> chats.add(summary(s)));
    return Future.succeededFuture(new JsonObject().put("chats", chats));
  }

  Future<JsonObject> accept(JsonObject f, boolean observe) {
    String chatId = string(f, "chatId");
    ParticipantType type = observe ? ParticipantType.SUPERVISOR : ParticipantType.AGENT;
    return engine
        .find(chatId)
        .compose(
            s ->
                s.join(type, conn.nickname())
                    .compose(
                        j ->
                            conn.subscribe(
                                    s, j.participantId(), j.secureKey(), j.nextPosition() - 1)
                                .map(cancel -> j.toJson())));
  }

  Future<JsonObject> attach(JsonObject f) {
    String chatId = string(f, "chatId");
    String pid = string(f, "participantId");
    String key = string(f, "secureKey");
    long after = position(f);
    return engine
        .find(chatId)
        .compose(s -> conn.subscribe(s, pid, key, after))
        .map(c -> new JsonObject().put("chatId", chatId));
  }

  Future<JsonObject> send(JsonObject f, boolean customNotice) {
    String chatId = string(f, "chatId");
    String clientMessageId = string(f, "clientMessageId");
    String text = string(f, "text");
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(
            s ->
                customNotice
                    ? s.customNotice(m.participantId(), m.secureKey(), clientMessageId, text)
                    : s.send(m.participantId(), m.secureKey(), clientMessageId, text))
        .map(e -> new JsonObject().put("entry", EntryJson.toJson(e)));
  }

  Future<JsonObject> typing(JsonObject f) {
    String chatId = string(f, "chatId");
    if (!(f.getValue("typing") instanceof Boolean typing)) {
      throw ChatException.badRequest("field 'typing' (true or false) is required");
    }
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(s -> s.typing(m.participantId(), m.secureKey(), typing))
        .map(e -> new JsonObject().put("entry", EntryJson.toJson(e)));
  }

  Future<JsonObject> refresh(JsonObject f) {
    String chatId = string(f, "chatId");
    long after = position(f);
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(s -> s.entriesAfter(m.participantId(), m.secureKey(), after))
        .map(EspOps::transcript);
  }

  Future<JsonObject> leave(JsonObject f) {
    String chatId = string(f, "chatId");
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(s -> s.leave(m.participantId(), m.secureKey()))
        .map(
            v -> {
              conn.forget(chatId);
              return new JsonObject();
            });
  }

  Future<JsonObject> close(JsonObject f) {
    String chatId = string(f, "chatId");
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(s -> s.end(m.participantId(), m.secureKey(), Session.AGENT_CLOSED))
        .map(v -> new JsonObject());
  }

  Future<JsonObject> interactionStopped(JsonObject f) {
    String chatId = string(f, "chatId");
    return engine
        .find(chatId)
        .compose(s -> s.close(Session.INTERACTION_STOPPED))
        .map(v -> new JsonObject());
  }

  static String string(JsonObject f, String field) {
    if (!(f.getValue(field) instanceof String s) || s.isEmpty()) {
      throw ChatException.badRequest("field '" + field + "' (non-empty string) is required");
    }
    return s;
  }

  static long position(JsonObject f) {
    Object v = f.getValue("after");
    if (v == null) {
      return 0;
    }
    if (!(v instanceof Number n) || n.longValue() < 0) {
      throw ChatException.badRequest("field 'after' must be a number >= 0");
    }
    return n.longValue();
  }

  static JsonObject summary(SessionSummary s) {
    return new JsonObject()
        .put("chatId", s.chatId())
        .put("customer", s.customer())
        .put("subject", s.subject())
        .put("userData", new JsonObject(new java.util.LinkedHashMap<>(s.userData())))
        .put("createdAt", s.createdAt());
  }

  private static JsonObject transcript(Transcript t) {
    return new JsonObject()
        .put("entries", EntryJson.toJson(t.entries()))
        .put("nextPosition", t.nextPosition())
        .put("chatEnded", t.chatEnded());
  }
}
