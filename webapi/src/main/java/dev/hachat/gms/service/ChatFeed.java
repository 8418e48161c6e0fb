package dev.hachat.gms.service;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.config.RoutingOptions;
import dev.hachat.gms.directory.Instance;
import dev.hachat.gms.directory.InstanceDirectory;
import dev.hachat.gms.routing.ChatRouter;
import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows one chat for one customer: reads what was missed with a routed {@code refresh} (which
 * finds the owner, or makes a survivor restore the chat), then subscribes to the owner's push
 * stream ({@code /v1/chats/{id}/events}) from the last index delivered. When the stream breaks (the
 * owner died, the chat moved) it does the same again after a random pause, so the customer gets
 * every message once, in order, across failovers. Deduplicates by index. What a catch-up reads is
 * delivered in pages ({@link TranscriptPages}), each its own update.
 *
 * <p>Threading: all state is confined to the Vert.x context that created the feed.
 */
final class ChatFeed implements ChatService.Feed {
  private static final Logger LOG = LoggerFactory.getLogger(ChatFeed.class);

  private final Vertx vertx;
  private final Context context;
  private final ChatRouter router;
  private final InstanceDirectory directory;
  private final RoutingOptions options;
  private final String chatId;
  private final String userId;
  private final String secureKey;
  private final Handler<JsonObject> onUpdate;
  private final TranscriptPages pages;
  private final WebSocketClient wsClient;
  private String owner;
  private long last;
  private boolean ended;
  private WebSocket ws;
  private int failures;

  ChatFeed(
      Vertx vertx,
      ChatRouter router,
      InstanceDirectory directory,
      RoutingOptions options,
      String chatId,
      String userId,
      String secureKey,
      String alias,
      long fromPosition,
      TranscriptPages pages,
      Handler<JsonObject> onUpdate) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.router = router;
    this.directory = directory;
    this.options = options;
    this.chatId = chatId;
    this.userId = userId;
    this.secureKey = secureKey;
    this.owner = alias;
    this.last = fromPosition - 1;
    this.pages = pages;
    this.onUpdate = onUpdate;
    this.wsClient =
        vertx.createWebSocketClient(
            router
                .tls()
                .apply(
                    new WebSocketClientOptions()
                        .setConnectTimeout(options.getRequestTimeout())
                        .setLocalAddress(options.localAddressOrNull())));
  }

  void start() {
    context.runOnContext(v -> catchUp());
  }

  @Override
  public void cancel() {
    context.runOnContext(
        v -> {
          if (!ended) {
            finish();
          }
        });
  }

  /** Reads everything after {@code last} through the router, then subscribes at the owner. */
  private void catchUp() {
    if (ended) {
      return;
    }
    JsonObject body =
        new JsonObject()
            .put("participantId", userId)
            .put("secureKey", secureKey)
            .put("after", last);
    router
        .existing(chatId, "refresh", body, owner)
        .onComplete(
            ar -> {
              if (ended) {
                return;
              }
              if (ar.failed()) {
                onFailure(ar.cause());
                return;
              }
              owner = ar.result().instanceId();
              JsonObject t = ar.result().body();
              deliver(t.getJsonArray("entries"), t.getBoolean("chatEnded", false));
              if (!ended) {
                subscribe();
              }
            });
  }

  private void subscribe() {
    String address = directory.get(owner).map(Instance::webapi).orElse(owner);
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      retryLater();
      return;
    }
    wsClient
        .connect(
            Integer.parseInt(address.substring(colon + 1)),
            address.substring(0, colon),
            "/v1/chats/" + chatId + "/events")
        .onComplete(
            ar -> {
              if (ended) {
                if (ar.succeeded()) {
                  ar.result().close();
                }
                return;
              }
              if (ar.failed()) {
                directory.suspect(owner);
                retryLater();
                return;
              }
              ws = ar.result();
              ws.textMessageHandler(this::onFrame);
              WebSocket socket = ws;
              ws.closeHandler(v -> onSocketClosed(socket.closeStatusCode()));
              ws.exceptionHandler(e -> LOG.debug("feed {}: {}", chatId, e.toString()));
              ws.writeTextMessage(
                  new JsonObject()
                      .put("participantId", userId)
                      .put("secureKey", secureKey)
                      .put("after", last)
                      .encode());
            });
  }

  private void onFrame(String text) {
    if (ended) {
      return;
    }
    JsonObject event = new JsonObject(text);
    switch (event.getString("type", "")) {
      case "entry" -> {
        failures = 0;
        deliver(new JsonArray().add(event.getJsonObject("entry")), false);
      }
      case "closed" -> deliver(new JsonArray(), true);
      case "error" -> {
        ChatException e = ChatException.fromJson(event.getJsonObject("error"));
        if (!e.code().retryable()) {
          onFailure(e);
        }
      }
      default -> {
        // notices (store trouble) are not transcript messages
      }
    }
  }

  /** The instance's close code for a stream a newer one of the same participant replaced. */
  static final short REPLACED = 4009;

  private void onSocketClosed(Short code) {
    ws = null;
    if (ended) {
      return;
    }
    if (code != null && code == REPLACED) {
      finish(); // a newer feed of this customer follows the chat; this one stops for good
      return;
    }
    retryLater(); // the owner died, or the chat moved: find it again
  }

  private void onFailure(Throwable e) {
    if (e instanceof ChatException ce && ce.code() == ErrorCode.CHAT_ENDED) {
      deliver(new JsonArray(), true);
      return;
    }
    if (e instanceof ChatException ce && !ce.code().retryable()) {
      finish();
      onUpdate.handle(GmsErrors.response(ce).put("chatId", chatId));
      return;
    }
    retryLater();
  }

  private void deliver(JsonArray entries, boolean chatEnded) {
    JsonArray fresh = new JsonArray();
    if (entries != null) {
      for (int i = 0; i < entries.size(); i++) {
        JsonObject e = entries.getJsonObject(i);
        long index = e.getLong("index", 0L);
        if (index > last) {
          fresh.add(e);
          last = index;
        }
      }
    }
    // A catch-up may carry a whole transcript: one update per page, the end told with the last.
    if (fresh.isEmpty() && chatEnded) {
      update(fresh, last + 1, true);
    }
    for (int from = 0; from < fresh.size(); ) {
      int n = pages.fit(fresh, from);
      JsonArray page = n == fresh.size() ? fresh : TranscriptPages.slice(fresh, from, n);
      from += n;
      update(page, TranscriptPages.after(page), chatEnded && from == fresh.size());
    }
    if (chatEnded) {
      finish();
    }
  }

  private void update(JsonArray messages, long nextPosition, boolean chatEnded) {
    onUpdate.handle(
        new JsonObject()
            .put("statusCode", GmsErrors.OK)
            .put("chatId", chatId)
            .put("alias", owner)
            .put("messages", messages)
            .put("nextPosition", nextPosition)
            .put("chatEnded", chatEnded));
  }

  private void retryLater() {
    failures++;
    long min = options.getRetryDelayMin();
    long max = Math.min(options.getRetryDelayMax(), min << Math.min(failures, 10));
    long delay = min + ThreadLocalRandom.current().nextLong(Math.max(1, max - min + 1));
    vertx.setTimer(delay, t -> context.runOnContext(v -> catchUp()));
  }

  /** The feed is over (ended, cancelled, refused): its socket and its client are closed. */
  private void finish() {
    ended = true;
    closeSocket();
    wsClient.close();
  }

  private void closeSocket() {
    WebSocket s = ws;
    ws = null;
    if (s != null) {
      s.close();
    }
  }
}
