package dev.hachat.server.esp;

import dev.hachat.common.error.ChatException;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.SessionSummary;
import dev.hachat.server.session.Transcript;
import dev.hachat.store.EntryJson;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The ESP operations after login: each reads its fields and calls the engine. */
final class EspOps {
  private final ChatEngine engine;
  private final EspConnection conn;
  private final ReplyPage page;

  EspOps(ChatEngine engine, EspConnection conn, ReplyPage page) {
    this.engine = engine;
    this.conn = conn;
    this.page = page;
  }

  /**
   * Waiting chats, oldest first, one page: {@code chats}, {@code total}, and {@code next}, the
   * {@code after} of the next page, when more are left. A chat that stopped waiting between two
   * pages is simply not in the next one.
   */
  Future<JsonObject> listWaiting(JsonObject f) {
    WaitingCursor after = WaitingCursor.parse(f.getValue("after"));
    List<SessionSummary> all = engine.waiting();
    List<SessionSummary> rest = all.stream().filter(after::before).toList();
    ReplyPage.Cut c = page.cut(rest, EspOps::summary);
    JsonObject reply = new JsonObject().put("chats", c.items()).put("total", all.size());
    if (c.more()) {
      reply.put("next", WaitingCursor.of(rest.get(c.taken() - 1)).encode());
    }
    return Future.succeededFuture(reply);
  }

  Future<JsonObject> accept(JsonObject f, boolean observe) {
    String chatId = string(f, "chatId");
    ParticipantType type = observe ? ParticipantType.SUPERVISOR : ParticipantType.AGENT;
    return engine
        .find(chatId)
        .compose(
            s ->
                s.join(type, conn.nickname(), conn.agentId())
                    .compose(
                        j ->
                            conn.subscribe(
                                    s, j.participantId(), j.secureKey(), j.nextPosition() - 1)
                                .map(cancel -> joined(j))));
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
        .map(this::transcript);
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
        .compose(s -> s.end(m.participantId(), m.secureKey(), ReasonCode.AGENT_CLOSED))
        .map(v -> new JsonObject());
  }

  Future<JsonObject> interactionStopped(JsonObject f) {
    String chatId = string(f, "chatId");
    return engine
        .find(chatId)
        .compose(s -> s.close(ReasonCode.INTERACTION_STOPPED))
        .map(v -> new JsonObject());
  }

  /** A system notice from the interaction side into a chat it has not joined. */
  Future<JsonObject> queueNotice(JsonObject f) {
    String chatId = string(f, "chatId");
    String text = string(f, "text");
    return engine
        .find(chatId)
        .compose(s -> s.systemNotice(text))
        .map(e -> new JsonObject().put("entry", EntryJson.toJson(e)));
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

  /** The reply to accept and observe: the join, with the first page of the transcript. */
  private JsonObject joined(Joined j) {
    return new JsonObject()
        .put("chatId", j.chatId())
        .put("participantId", j.participantId())
        .put("secureKey", j.secureKey())
        .mergeIn(page.entries(j.entries(), j.nextPosition()));
  }

  private JsonObject transcript(Transcript t) {
    return page.entries(t.entries(), t.nextPosition()).put("chatEnded", t.chatEnded());
  }
}
