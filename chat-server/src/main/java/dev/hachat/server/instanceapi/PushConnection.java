package dev.hachat.server.instanceapi;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.WriteBudget;
import dev.hachat.server.metrics.ErrorKpi;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Session;
import dev.hachat.server.session.SessionListener;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import dev.hachat.store.ReasonCode;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;

/**
 * One customer WebSocket: the first frame authenticates and names the position to resume from; then
 * entries are pushed in index order. Events not yet written to the socket are bounded by {@code
 * max-queued-events} and their size by {@code max-queued-bytes}; a client that falls further behind
 * is closed with code {@value #SLOW_CONSUMER} and resumes from its last index on reconnect.
 */
final class PushConnection implements SessionListener {
  static final short SLOW_CONSUMER = 4008;
  static final short BAD_REQUEST = 4400;
  static final short FORBIDDEN = 4403;
  static final short NOT_FOUND = 4404;
  static final short ENDED = 4410;
  static final short INTERNAL = 4500;
  static final short MOVED = 4012;

  /** A newer stream of the same participant replaced this one; do not reconnect this one. */
  static final short REPLACED = 4009;

  /** No first frame within {@code webapi.hello-timeout}. */
  static final short HELLO_TIMEOUT = 4001;

  private final ServerWebSocket ws;
  private final ChatEngine engine;
  private final WriteBudget queued;
  private volatile Runnable unsubscribe;
  private volatile boolean closed;
  private final java.util.concurrent.atomic.AtomicBoolean unsubscribed =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final long pingMillis;
  private final long helloMillis;
  private long pingTimer = -1;
  private long helloTimer = -1;

  /**
   * @param pingMillis the interval of server pings, half the port's idle timeout: they keep an idle
   *     but healthy push stream open, while a dead peer still times out
   * @param helloMillis how long the client has to send its first frame (its credentials)
   */
  PushConnection(
      ServerWebSocket ws,
      ChatEngine engine,
      WriteBudget queued,
      long pingMillis,
      long helloMillis) {
    this.ws = ws;
    this.engine = engine;
    this.queued = queued;
    this.pingMillis = pingMillis;
    this.helloMillis = helloMillis;
  }

  void start(String chatId) {
    io.vertx.core.Context context = io.vertx.core.Vertx.currentContext();
    if (context != null) {
      pingTimer =
          context
              .owner()
              .setPeriodic(pingMillis, t -> ws.writePing(io.vertx.core.buffer.Buffer.buffer()));
      helloTimer =
          context
              .owner()
              .setTimer(
                  helloMillis,
                  t -> {
                    if (!closed) {
                      closed = true;
                      engine.kpi().limits().pushHelloTimeout();
                      ws.close(HELLO_TIMEOUT, "send the first frame within the hello timeout");
                    }
                  });
    }
    ws.closeHandler(
        v -> {
          if (context != null) {
            context.owner().cancelTimer(pingTimer);
            context.owner().cancelTimer(helloTimer);
          }
          stop();
        });
    ws.exceptionHandler(e -> stop());
    ws.textMessageHandler(
        text -> {
          ws.textMessageHandler(t -> {}); // later frames are ignored: this stream is push-only
          if (context != null) {
            context.owner().cancelTimer(helloTimer);
          }
          authenticate(chatId, text);
        });
  }

  private void authenticate(String chatId, String text) {
    JsonObject hello;
    String pid;
    String key;
    long after;
    try {
      hello = Requests.body(io.vertx.core.buffer.Buffer.buffer(text));
      pid = Requests.requiredString(hello, "participantId");
      key = Requests.requiredString(hello, "secureKey");
      after = Requests.optionalPosition(hello, "after");
    } catch (ChatException e) {
      fail(e);
      return;
    }
    engine
        .find(chatId)
        .compose(s -> s.subscribe(pid, key, after, this))
        .onSuccess(
            cancel -> {
              // The socket may have closed while the subscription was being made: whichever of
              // stop() and this sees the other's write cancels it (at most once).
              unsubscribe = cancel;
              if (closed) {
                stop();
              }
            })
        .onFailure(
            e ->
                fail(
                    e instanceof ChatException ce
                        ? ce
                        : new ChatException(ErrorCode.INTERNAL, "internal error")));
  }

  @Override
  public void onEntry(Session session, Entry entry) {
    push(new JsonObject().put("type", "entry").put("entry", EntryJson.toJson(entry)));
  }

  @Override
  public void onNotice(Session session, String code, String text) {
    push(new JsonObject().put("type", "notice").put("code", code).put("text", text));
  }

  @Override
  public void onReplaced(Session session) {
    if (!closed) {
      closed = true;
      ws.close(REPLACED, "a newer stream of this participant replaced this one");
    }
  }

  @Override
  public void onClosed(Session session, CloseInfo info) {
    boolean moved = ReasonCode.MOVED.name().equals(info.reason());
    if (!moved) {
      push(new JsonObject().put("type", "closed").put("reason", info.reason()));
    }
    if (!closed) {
      closed = true;
      // MOVED: this instance no longer owns the chat; reconnect (anywhere) and resume.
      ws.close(moved ? MOVED : (short) 1000, moved ? "chat moved; reconnect" : "chat ended");
    }
  }

  private void push(JsonObject event) {
    if (closed) {
      return;
    }
    String text = event.encode();
    int size = text.length(); // UTF-16 units: at least a third of the UTF-8 bytes, cheap to get
    if (!queued.tryTake(size)) {
      closed = true;
      engine.kpi().slowConsumer();
      if (queued.overBytes()) {
        engine.kpi().limits().slowConsumerBytes();
      }
      stop();
      ws.close(SLOW_CONSUMER, "slow consumer: reconnect and resume from your last index");
      return;
    }
    ws.writeTextMessage(text).onComplete(ar -> queued.release(size));
  }

  private void fail(ChatException e) {
    short code =
        switch (e.code()) {
          case FORBIDDEN -> FORBIDDEN;
          case CHAT_NOT_FOUND -> NOT_FOUND;
          case CHAT_ENDED -> ENDED;
          case NOT_OWNER -> MOVED;
          case BAD_REQUEST -> BAD_REQUEST;
          default -> INTERNAL;
        };
    closed = true;
    engine.kpi().errors().answered(ErrorKpi.Port.WEBAPI, e.code());
    ws.writeTextMessage(new JsonObject().put("type", "error").put("error", e.toJson()).encode())
        .onComplete(ar -> ws.close(code, e.code().name()));
  }

  private void stop() {
    closed = true;
    Runnable u = unsubscribe;
    if (u != null && unsubscribed.compareAndSet(false, true)) {
      u.run();
    }
  }
}
