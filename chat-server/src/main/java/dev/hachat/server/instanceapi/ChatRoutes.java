package dev.hachat.server.instanceapi;

import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.server.session.Transcript;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BiFunction;

/** The customer's JSON requests, one handler per endpoint. */
final class ChatRoutes {
  private final ChatEngine engine;

  ChatRoutes(ChatEngine engine) {
    this.engine = engine;
  }

  void requestChat(RoutingContext ctx) {
    JsonObject body = Requests.body(ctx.body().buffer());
    String nickname = Requests.requiredString(body, "nickname");
    String subject = Requests.optionalString(body, "subject");
    var userData = Requests.stringMap(body, "userData");
    reply(ctx, 201, engine.requestChat(nickname, subject, userData).map(Joined::toJson));
  }

  void send(RoutingContext ctx) {
    withParticipant(
        ctx,
        (s, b) ->
            s.send(
                    b.pid,
                    b.key,
                    Requests.requiredString(b.json, "clientMessageId"),
                    Requests.requiredString(b.json, "text"))
                .map(ChatRoutes::entry));
  }

  void customNotice(RoutingContext ctx) {
    withParticipant(
        ctx,
        (s, b) ->
            s.customNotice(
                    b.pid,
                    b.key,
                    Requests.requiredString(b.json, "clientMessageId"),
                    Requests.requiredString(b.json, "text"))
                .map(ChatRoutes::entry));
  }

  void startTyping(RoutingContext ctx) {
    withParticipant(ctx, (s, b) -> s.typing(b.pid, b.key, true).map(ChatRoutes::entry));
  }

  void stopTyping(RoutingContext ctx) {
    withParticipant(ctx, (s, b) -> s.typing(b.pid, b.key, false).map(ChatRoutes::entry));
  }

  void updateNickname(RoutingContext ctx) {
    withParticipant(
        ctx,
        (s, b) ->
            s.updateNickname(b.pid, b.key, Requests.requiredString(b.json, "nickname"))
                .map(ChatRoutes::entry));
  }

  void updateData(RoutingContext ctx) {
    withParticipant(
        ctx,
        (s, b) ->
            s.updateData(b.pid, b.key, Requests.requiredStringMap(b.json, "userData"))
                .map(ChatRoutes::entry));
  }

  void refresh(RoutingContext ctx) {
    withParticipant(
        ctx,
        (s, b) ->
            s.entriesAfter(b.pid, b.key, Requests.optionalPosition(b.json, "after"))
                .map(ChatRoutes::transcript));
  }

  void disconnect(RoutingContext ctx) {
    withParticipant(
        ctx, (s, b) -> s.leave(b.pid, b.key).map(v -> new JsonObject().put("chatEnded", true)));
  }

  /** The parsed body of a participant's request. */
  private record Body(JsonObject json, String pid, String key) {}

  private void withParticipant(
      RoutingContext ctx, BiFunction<Session, Body, Future<JsonObject>> op) {
    JsonObject json = Requests.body(ctx.body().buffer());
    Body body =
        new Body(
            json,
            Requests.requiredString(json, "participantId"),
            Requests.requiredString(json, "secureKey"));
    reply(ctx, 200, engine.find(ctx.pathParam("chatId")).compose(s -> op.apply(s, body)));
  }

  private static void reply(RoutingContext ctx, int status, Future<JsonObject> result) {
    result.onComplete(
        ar -> {
          if (ar.succeeded()) {
            ctx.response()
                .setStatusCode(status)
                .putHeader("content-type", "application/json")
                .end(ar.result().encode());
          } else {
            ctx.fail(ar.cause());
          }
        });
  }

  private static JsonObject entry(Entry e) {
    return new JsonObject().put("entry", EntryJson.toJson(e));
  }

  private static JsonObject transcript(Transcript t) {
    return new JsonObject()
        .put("entries", EntryJson.toJson(t.entries()))
        .put("nextPosition", t.nextPosition())
        .put("chatEnded", t.chatEnded());
  }
}
