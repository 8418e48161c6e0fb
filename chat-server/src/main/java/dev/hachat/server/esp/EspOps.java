package dev.hachat.server.esp;

import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.JoinMode;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.SessionSummary;
import dev.hachat.server.session.Transcript;
import dev.hachat.store.EntryJson;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.Visibility;
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
    ParticipantType type = observe ? ParticipantType.SUPERVISOR : ParticipantType.AGENT;
    return join(string(f, "chatId"), type, JoinMode.EXCLUSIVE);
  }

  /** An invited agent joins beside the agent there ({@code mode}: conference or consult). */
  Future<JsonObject> join(JsonObject f) {
    String chatId = string(f, "chatId");
    JoinMode mode =
        switch (string(f, "mode")) {
          case "conference" -> JoinMode.CONFERENCE;
          case "consult" -> JoinMode.CONSULT;
          default -> throw ChatException.badRequest("field 'mode' is conference or consult");
        };
    return join(chatId, ParticipantType.AGENT, mode);
  }

  /**
   * An agent in the chat invites {@code agentId} ({@code mode} conference or consult; {@code
   * transfer}: the chat is being handed to that agent, who may be in it already as a consultant):
   * the interaction side is told ({@code chatInvited}) and offers it; nothing is written to the
   * chat until the invited agent joins.
   */
  Future<JsonObject> invite(JsonObject f) {
    String chatId = string(f, "chatId");
    String agentId = string(f, "agentId");
    String mode = string(f, "mode");
    if (!mode.equals("conference") && !mode.equals("consult") && !mode.equals("transfer")) {
      throw ChatException.badRequest("field 'mode' is conference, consult or transfer");
    }
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(s -> s.invite(m.participantId(), m.secureKey(), agentId, mode))
        .map(
            v -> {
              engine.invited(chatId, agentId, mode, conn.nickname());
              return new JsonObject();
            });
  }

  /**
   * Sets user data keys of a chat the agent is in ({@code userData}: an object of strings; {@code
   * visibility} {@code Int}: the entry is kept from the customer).
   */
  Future<JsonObject> updateData(JsonObject f) {
    String chatId = string(f, "chatId");
    if (!(f.getValue("userData") instanceof JsonObject data) || data.isEmpty()) {
      throw ChatException.badRequest("field 'userData' (an object of strings) is required");
    }
    java.util.Map<String, String> change = new java.util.LinkedHashMap<>();
    data.forEach(
        kv -> {
          if (!(kv.getValue() instanceof String v)) {
            throw ChatException.badRequest("user data values are strings: " + kv.getKey());
          }
          change.put(kv.getKey(), v);
        });
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(s -> s.updateData(m.participantId(), m.secureKey(), change, visibility(f)))
        .map(e -> new JsonObject().put("entry", EntryJson.toJson(e)));
  }

  private Future<JsonObject> join(String chatId, ParticipantType type, JoinMode mode) {
    return engine
        .find(chatId)
        .compose(
            s ->
                s.join(
                        type,
                        conn.nickname(),
                        conn.agentId(),
                        mode,
                        mode == JoinMode.EXCLUSIVE || conn.has(Role.SUPERVISOR))
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
    Visibility visibility = visibility(f);
    if (customNotice && visibility != Visibility.ALL) {
      throw ChatException.badRequest("a custom notice is for everyone: no 'visibility'");
    }
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(
            s ->
                customNotice
                    ? s.customNotice(m.participantId(), m.secureKey(), clientMessageId, text)
                    : s.send(m.participantId(), m.secureKey(), clientMessageId, text, visibility))
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

  /**
   * The caller leaves the chat; {@code reason} (optional) is recorded in its {@code
   * ParticipantLeft} entry: {@code AGENT_LEFT}, {@code TRANSFERRED_OUT} or {@code DISCONNECTED}
   * (the interaction side's), else the participant kind's default.
   */
  Future<JsonObject> leave(JsonObject f) {
    String chatId = string(f, "chatId");
    ReasonCode reason = leaveReason(f);
    EspConnection.Membership m = conn.membership(chatId);
    return engine
        .find(chatId)
        .compose(
            s ->
                reason == null
                    ? s.leave(m.participantId(), m.secureKey())
                    : s.leave(m.participantId(), m.secureKey(), reason))
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

  private static final java.util.Set<ReasonCode> LEAVE_REASONS =
      java.util.EnumSet.of(
          ReasonCode.AGENT_LEFT, ReasonCode.TRANSFERRED_OUT, ReasonCode.DISCONNECTED);

  /** The optional {@code reason} of a leave, one of {@link #LEAVE_REASONS}; null: absent. */
  static ReasonCode leaveReason(JsonObject f) {
    Object v = f.getValue("reason");
    if (v == null) {
      return null;
    }
    ReasonCode r = v instanceof String s ? ReasonCode.parse(s).orElse(null) : null;
    if (r == null || !LEAVE_REASONS.contains(r)) {
      throw ChatException.badRequest(
          "field 'reason' is AGENT_LEFT, TRANSFERRED_OUT or DISCONNECTED");
    }
    return r;
  }

  /** The optional {@code visibility} of a send: {@code All} (default) or {@code Int}. */
  static Visibility visibility(JsonObject f) {
    Object v = f.getValue("visibility");
    if (v == null) {
      return Visibility.ALL;
    }
    try {
      return Visibility.parse(v instanceof String s ? s : "?");
    } catch (IllegalArgumentException e) {
      throw ChatException.badRequest("field 'visibility' is All or Int");
    }
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
