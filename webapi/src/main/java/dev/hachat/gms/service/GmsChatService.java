package dev.hachat.gms.service;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.KeyedRateLimiter;
import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.api.Operation;
import dev.hachat.gms.config.GmsOptions;
import dev.hachat.gms.config.ServiceOptions;
import dev.hachat.gms.directory.InstanceDirectory;
import dev.hachat.gms.routing.ChatRouter;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatService} over the instances: each GMS operation becomes one idempotent call to the
 * chat's owner through the {@link ChatRouter}, and the instance's answer becomes a GMS response.
 * {@code alias} in every response is the instance that answered; widgets send it back and it is
 * tried first. Holds no chat state: any web API server can serve any request.
 */
public final class GmsChatService implements ChatService {
  private static final Logger LOG = LoggerFactory.getLogger(GmsChatService.class);

  private final Vertx vertx;

  /** Most client addresses whose new-chat buckets are held at once. */
  private static final int MAX_LIMITED_ADDRESSES = 100_000;

  private final GmsOptions options;
  private final ChatRouter router;
  private final InstanceDirectory directory;
  private final Params params;
  private final TranscriptPages pages;
  private final KeyedRateLimiter newChats;
  private final Counter rateLimited;

  public GmsChatService(
      Vertx vertx,
      GmsOptions options,
      ChatRouter router,
      InstanceDirectory directory,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.options = options;
    this.router = router;
    this.directory = directory;
    this.params = new Params(options.getMaxParameterSize());
    this.pages = new TranscriptPages(options.getPageItems(), options.getPageBytes());
    this.newChats =
        KeyedRateLimiter.create(
            options.getEdge().getNewChatsPerMinute(),
            options.getEdge().getNewChatsBurst(),
            MAX_LIMITED_ADDRESSES);
    this.rateLimited =
        Counter.builder("hachat.webapi.rate.limited")
            .description("Requests refused by a rate limit (RATE_LIMITED)")
            .tag("limit", "new-chats-per-address")
            .register(metrics);
  }

  /** Forgets addresses idle for a while (call periodically). */
  public void evictIdleLimits() {
    newChats.evictIdle();
  }

  @Override
  public Future<JsonObject> requestChat(String serviceName, String clientAddress, JsonObject p) {
    try {
      if (!newChats.tryAcquire(clientAddress == null ? "unknown" : clientAddress)) {
        rateLimited.increment();
        throw new ChatException(
            ErrorCode.RATE_LIMITED,
            "too many new chats from this address; wait a minute and try again");
      }
      ServiceOptions service = service(serviceName);
      String nickname = params.optional(p, "nickname");
      String first = params.optional(p, "firstName");
      String last = params.optional(p, "lastName");
      if (nickname == null || nickname.isBlank()) {
        nickname = ((first == null ? "" : first) + " " + (last == null ? "" : last)).trim();
      }
      if (nickname.isEmpty()) {
        throw GmsErrors.badRequest("parameter 'nickname' (or firstName/lastName) is required");
      }
      JsonObject userData = new JsonObject();
      service.getUserData().forEach(userData::put);
      putIfPresent(userData, "FirstName", first);
      putIfPresent(userData, "LastName", last);
      putIfPresent(userData, "EmailAddress", params.optional(p, "emailAddress"));
      userData.mergeIn(params.userData(p));
      userData.put("GMSServiceName", serviceName);
      JsonObject body = new JsonObject().put("nickname", nickname).put("userData", userData);
      putIfPresent(body, "subject", params.optional(p, "subject"));
      return router
          .newChat(body, clientAddress)
          .map(
              r ->
                  ok(r.instanceId())
                      .put("chatId", r.body().getString("chatId"))
                      .put("userId", r.body().getString("participantId"))
                      .put("secureKey", r.body().getString("secureKey"))
                      .put("messages", messages(r.body().getJsonArray("entries")))
                      .put("nextPosition", r.body().getLong("nextPosition"))
                      .put("chatEnded", false))
          .otherwise(GmsErrors::response);
    } catch (ChatException e) {
      return Future.succeededFuture(GmsErrors.response(e));
    }
  }

  @Override
  public Future<JsonObject> perform(String serviceName, String chatId, Operation op, JsonObject p) {
    try {
      service(serviceName);
      if (!Params.isId(chatId)) {
        throw GmsErrors.badRequest("chatId is not a valid id");
      }
      String userId = params.id(p, "userId");
      JsonObject body =
          new JsonObject()
              .put("participantId", userId)
              .put("secureKey", params.required(p, "secureKey"));
      String alias = params.optional(p, "alias");
      Future<ChatRouter.Routed> done =
          switch (op) {
            case SEND, CUSTOM_NOTICE -> {
              body.put("text", params.required(p, "message"));
              String id = params.optional(p, "messageId");
              body.put(
                  "clientMessageId",
                  id == null || id.isBlank() ? UUID.randomUUID().toString() : id);
              yield router.existing(chatId, op.restName(), body, alias);
            }
            case REFRESH ->
                router.existing(
                    chatId, "refresh", body.put("after", params.position(p, 1) - 1), alias);
            case DISCONNECT ->
                router
                    .existing(chatId, "disconnect", body, alias)
                    .recover(e -> alreadyGone(e, chatId, alias));
            case START_TYPING, STOP_TYPING -> router.existing(chatId, op.restName(), body, alias);
            case UPDATE_NICKNAME ->
                router.existing(
                    chatId,
                    "updateNickname",
                    body.put("nickname", params.required(p, "nickname")),
                    alias);
            case UPDATE_DATA ->
                router.existing(
                    chatId, "updateData", body.put("userData", params.userData(p)), alias);
          };
      boolean piggyback = op != Operation.REFRESH && p.getValue("transcriptPosition") != null;
      long position = piggyback ? params.position(p, 1) : 0;
      return done.compose(
              r -> {
                JsonObject out = ok(r.instanceId()).put("chatId", chatId).put("userId", userId);
                if (op == Operation.REFRESH) {
                  return Future.succeededFuture(transcript(out, r.body()));
                }
                if (piggyback) {
                  // GMS style: any request may ask for the transcript since a position
                  JsonObject refresh =
                      new JsonObject()
                          .put("participantId", userId)
                          .put("secureKey", body.getString("secureKey"))
                          .put("after", position - 1);
                  return router
                      .existing(chatId, "refresh", refresh, r.instanceId())
                      .map(t -> transcript(out, t.body()));
                }
                JsonObject entry = r.body().getJsonObject("entry");
                out.put(
                    "messages",
                    entry == null ? new JsonArray() : messages(new JsonArray().add(entry)));
                out.put(
                    "chatEnded",
                    op == Operation.DISCONNECT || r.body().getBoolean("chatEnded", false));
                return Future.succeededFuture(out);
              })
          .otherwise(GmsErrors::response);
    } catch (ChatException e) {
      return Future.succeededFuture(GmsErrors.response(e));
    }
  }

  @Override
  public Future<Feed> follow(
      String serviceName, String chatId, JsonObject p, Handler<JsonObject> onUpdate) {
    try {
      service(serviceName);
      if (!Params.isId(chatId)) {
        throw GmsErrors.badRequest("chatId is not a valid id");
      }
      ChatFeed feed =
          new ChatFeed(
              vertx,
              router,
              directory,
              options.getRouting(),
              chatId,
              params.id(p, "userId"),
              params.required(p, "secureKey"),
              params.optional(p, "alias"),
              params.position(p, 1),
              pages,
              onUpdate);
      feed.start();
      return Future.succeededFuture(feed);
    } catch (ChatException e) {
      return Future.failedFuture(e);
    }
  }

  /** A disconnect whose first try went through but whose answer was lost: already done. */
  private Future<ChatRouter.Routed> alreadyGone(Throwable e, String chatId, String alias) {
    if (e instanceof ChatException ce
        && (ce.code() == ErrorCode.CHAT_ENDED || ce.code() == ErrorCode.PARTICIPANT_LEFT)) {
      LOG.debug("disconnect of {}: already {}", chatId, ce.code());
      return Future.succeededFuture(
          new ChatRouter.Routed(new JsonObject().put("chatEnded", true), alias));
    }
    return Future.failedFuture(e);
  }

  private ServiceOptions service(String name) {
    ServiceOptions s = name == null ? null : options.getServices().get(name);
    if (s == null) {
      throw new ChatException(ErrorCode.NOT_FOUND, "no chat service named '" + name + "'");
    }
    return s;
  }

  private static JsonObject ok(String alias) {
    return new JsonObject().put("statusCode", GmsErrors.OK).put("alias", alias);
  }

  /**
   * {@code out} with one page of the transcript an instance gave ({@code page-items}, {@code
   * page-bytes}). When messages are left, {@code nextPosition} is the position after the page (the
   * client asks from there, as it does anyway), {@code more} is true and {@code chatEnded} waits
   * for the last page, so that no GMS client stops before it.
   */
  private JsonObject transcript(JsonObject out, JsonObject instanceTranscript) {
    JsonArray all = messages(instanceTranscript.getJsonArray("entries"));
    int n = pages.fit(all, 0);
    if (n < all.size()) {
      JsonArray page = TranscriptPages.slice(all, 0, n);
      return out.put("messages", page)
          .put("nextPosition", TranscriptPages.after(page))
          .put("chatEnded", false)
          .put("more", true);
    }
    return out.put("messages", all)
        .put("nextPosition", instanceTranscript.getLong("nextPosition"))
        .put("chatEnded", instanceTranscript.getBoolean("chatEnded", false));
  }

  /** Instance entries are already GMS messages (from, index, type, text, utcTime). */
  static JsonArray messages(JsonArray entries) {
    return entries == null ? new JsonArray() : entries.copy();
  }

  private static void putIfPresent(JsonObject o, String key, String value) {
    if (value != null && !value.isBlank()) {
      o.put(key, value);
    }
  }
}
