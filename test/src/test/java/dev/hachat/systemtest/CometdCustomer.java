package dev.hachat.systemtest;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.client.ClientSessionChannel;
import org.cometd.client.BayeuxClient;
import org.cometd.client.http.jetty.JettyHttpClientTransport;
import org.cometd.client.transport.ClientTransport;
import org.cometd.client.websocket.jakarta.WebSocketTransport;
import org.cometd.common.JacksonJSONContextClient;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.ee10.websocket.jakarta.client.JakartaWebSocketClientContainer;

/**
 * A customer on a CometD widget: the real CometD Java client, long-polling or WebSocket, on the GMS
 * chatV2 channel. It survives the loss of the web API server holding its Bayeux session the way GMS
 * widgets do (docs/cometd.md): when the client has handshaken again it names its chat with {@code
 * requestNotifications} from the position after the last message it got, then sends again, with the
 * same messageId, what was not acknowledged. Every transcript message delivered to it (replies and
 * pushes) is recorded, repeats included. Blocking; one thread drives it.
 */
final class CometdCustomer implements AutoCloseable {
  static final String CHANNEL = "/service/chatV2/customer-support";
  private static final long REPLY_WITHIN_MS = 5000;

  enum Transport {
    LONG_POLLING,
    WEBSOCKET
  }

  final Transport transport;
  final List<JsonObject> delivered = new CopyOnWriteArrayList<>();
  final AtomicInteger handshakes = new AtomicInteger();
  final AtomicInteger connectFailures = new AtomicInteger();
  final AtomicInteger resends = new AtomicInteger();
  private final AtomicBoolean resume = new AtomicBoolean();
  private final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
  private final HttpClient httpClient = new HttpClient();
  private final JakartaWebSocketClientContainer webSockets = new JakartaWebSocketClientContainer();
  private final BayeuxClient client;
  private JsonObject chat;

  private CometdCustomer(String url, Transport transport) throws Exception {
    this.transport = transport;
    Map<String, Object> options = new HashMap<>(); // CometD's transports write into it
    options.put(ClientTransport.JSON_CONTEXT_OPTION, new JacksonJSONContextClient());
    ClientTransport t;
    if (transport == Transport.WEBSOCKET) {
      webSockets.start();
      t = new WebSocketTransport(options, null, webSockets);
    } else {
      httpClient.start();
      t = new JettyHttpClientTransport(options, httpClient);
    }
    client = new BayeuxClient(url, t);
    client
        .getChannel(Channel.META_HANDSHAKE)
        .addListener(
            (ClientSessionChannel.MessageListener)
                (c, m) -> {
                  if (m.isSuccessful() && handshakes.incrementAndGet() > 1) {
                    resume.set(true); // a new Bayeux session: it does not know the chat
                  }
                });
    client
        .getChannel(Channel.META_CONNECT)
        .addListener(
            (ClientSessionChannel.MessageListener)
                (c, m) -> {
                  if (!m.isSuccessful()) {
                    connectFailures.incrementAndGet();
                  }
                });
    client
        .getChannel(CHANNEL)
        .addListener(
            (ClientSessionChannel.MessageListener)
                (c, m) -> onData(new JsonObject(m.getDataAsMap()).copy()));
  }

  /** A client of {@code url} ({@code http://host:port/genesys/cometd}), handshaken. */
  static CometdCustomer connect(String url, Transport transport) throws Exception {
    CometdCustomer c = new CometdCustomer(url, transport);
    c.client.handshake();
    if (!c.client.waitFor(10_000, BayeuxClient.State.CONNECTED)) {
      c.close();
      throw new AssertionError("no CometD handshake at " + url);
    }
    return c;
  }

  private void onData(JsonObject data) {
    if (data.getJsonArray("messages") != null) {
      data.getJsonArray("messages").forEach(m -> delivered.add(asJson(m)));
    }
    if (data.getString("operation") != null) {
      replies.add(data);
    }
  }

  @SuppressWarnings("unchecked")
  private static JsonObject asJson(Object o) {
    return o instanceof JsonObject j ? j : new JsonObject((Map<String, Object>) o);
  }

  /** {@code requestChat}; the reply (chatId, credentials, alias). */
  JsonObject requestChat(String nickname) throws InterruptedException {
    publish(new JsonObject().put("operation", "requestChat").put("nickname", nickname));
    JsonObject r = awaitReply(d -> "requestChat".equals(d.getString("operation")));
    if (r == null || r.getInteger("statusCode") != 0) {
      throw new AssertionError("requestChat over CometD failed: " + r);
    }
    chat = r;
    return r;
  }

  String chatId() {
    return chat.getString("chatId");
  }

  /** Sends until the reply with this messageId says statusCode 0. */
  void send(String messageId, String text) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      resumeIfNeeded();
      publish(
          credentials()
              .put("operation", "sendMessage")
              .put("message", text)
              .put("messageId", messageId));
      JsonObject r =
          awaitReply(
              d ->
                  "sendMessage".equals(d.getString("operation"))
                      && messageId.equals(d.getString("messageId")));
      int status = r == null ? 1 : r.getInteger("statusCode", 1);
      if (status == 0) {
        return;
      }
      if (status == 2 || System.nanoTime() > deadline) {
        throw new AssertionError("sendMessage " + messageId + " failed: " + r);
      }
      resends.incrementAndGet();
      TimeUnit.MILLISECONDS.sleep(100 + ThreadLocalRandom.current().nextInt(300));
    }
  }

  /** Publishes {@code data} (an operation) on the chat channel; its reply within 5 s, or null. */
  JsonObject call(JsonObject data) throws InterruptedException {
    publish(data);
    String op = data.getString("operation");
    return awaitReply(d -> op.equals(d.getString("operation")));
  }

  /**
   * Publishes {@code data} on {@code channel}; the server's answer to the publish itself ({@code
   * successful}, and {@code error} when refused).
   */
  JsonObject publishOn(String channel, JsonObject data) throws Exception {
    CompletableFuture<JsonObject> answer = new CompletableFuture<>();
    client
        .getChannel(channel)
        .publish(
            Json.decodeValue(data.encode(), Map.class),
            m ->
                answer.complete(
                    new JsonObject()
                        .put("successful", m.isSuccessful())
                        .put("error", String.valueOf(m.get("error")))));
    return answer.get(REPLY_WITHIN_MS, TimeUnit.MILLISECONDS);
  }

  /** Waits (up to {@code seconds}) until a Message with {@code text} was delivered. */
  void awaitDelivered(String text, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (delivered.stream().noneMatch(m -> text.equals(m.getString("text")))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(transport + " client never got " + text);
      }
      resumeIfNeeded();
      TimeUnit.MILLISECONDS.sleep(50);
    }
  }

  /** The position after the last message delivered. */
  long next() {
    return delivered.stream().mapToLong(m -> m.getLong("index")).max().orElse(0) + 1;
  }

  /** After a new handshake: requestNotifications from {@link #next()}, until it succeeds. */
  private void resumeIfNeeded() throws InterruptedException {
    while (resume.getAndSet(false)) {
      client.waitFor(10_000, BayeuxClient.State.CONNECTED);
      publish(
          credentials().put("operation", "requestNotifications").put("transcriptPosition", next()));
      JsonObject r = awaitReply(d -> "requestNotifications".equals(d.getString("operation")));
      if (r == null || r.getInteger("statusCode", 1) != 0) {
        resume.set(true);
        TimeUnit.MILLISECONDS.sleep(100 + ThreadLocalRandom.current().nextInt(300));
      }
    }
  }

  /** The reply matching {@code wanted} within 5 s (older ones are dropped), or null. */
  private JsonObject awaitReply(Predicate<JsonObject> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REPLY_WITHIN_MS);
    while (System.nanoTime() < deadline) {
      JsonObject r = replies.poll(50, TimeUnit.MILLISECONDS);
      if (r != null && wanted.test(r)) {
        return r;
      }
      if (r == null && resume.get()) {
        return null; // a new session: the reply will never come on it
      }
    }
    return null;
  }

  private JsonObject credentials() {
    return new JsonObject()
        .put("chatId", chat.getString("chatId"))
        .put("userId", chat.getString("userId"))
        .put("secureKey", chat.getString("secureKey"))
        .put("alias", chat.getString("alias"));
  }

  private void publish(JsonObject data) {
    client.getChannel(CHANNEL).publish(Json.decodeValue(data.encode(), Map.class));
  }

  @Override
  public void close() throws Exception {
    if (!client.isDisconnected()) {
      client.disconnect(2_000);
    }
    if (httpClient.isStarted()) {
      httpClient.stop();
    }
    if (webSockets.isStarted()) {
      webSockets.stop();
    }
  }
}
