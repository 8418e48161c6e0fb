package dev.hachat.gms.cometd;

import static dev.hachat.gms.cometd.BayeuxTestClient.requestChat;
import static dev.hachat.testing.Await.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hachat.gms.cometd.BayeuxClients.Transport;
import dev.hachat.gms.config.EdgeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.cometd.bayeux.Channel;
import org.cometd.bayeux.Message;
import org.cometd.bayeux.client.ClientSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code cometd.max-queued-bytes}: a client that does not read is disconnected once the bytes
 * waiting for it pass the budget, long before {@code cometd.max-queue} messages, while another
 * client that reads goes on, receiving more than the budget in all.
 */
@ExtendWith(VertxExtension.class)
class CometdSlowClientTest {

  private static final int BUDGET = 64 * 1024;
  private static final String TEXT = "x".repeat(8 * 1024);

  private Vertx vertx;
  private CometdTestServer cometd;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    CometdOptions options =
        new CometdOptions()
            .setMaxQueue(1_000)
            .setMaxQueuedBytes(BUDGET)
            .setTimeoutMs(3_000)
            .setMaxIntervalMs(60_000); // no sweep: only the budget removes the slow client
    // A small send buffer, so that writes to a client that does not read soon stop completing.
    cometd =
        new CometdTestServer(
            vertx,
            options,
            new EdgeOptions(),
            new HttpServerOptions().setSendBufferSize(16 * 1024));
  }

  @AfterEach
  void stop() throws Exception {
    cometd.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void a_client_that_stops_connecting_is_cut_off_by_bytes_and_another_is_served(
      Transport readerTransport) {
    BayeuxTestClient reader = cometd.connect(readerTransport);
    String readerChat = reader.call(requestChat("Reader")).getString("chatId");
    AtomicBoolean reading = new AtomicBoolean(true);
    BayeuxTestClient slow = cometd.connect(Transport.LONG_POLLING);
    slow.bayeux.addExtension(
        new ClientSession.Extension() {
          @Override
          public boolean sendMeta(ClientSession session, Message.Mutable message) {
            // Without /meta/connect nothing is taken from a long-polling client's queue.
            return reading.get() || !Channel.META_CONNECT.equals(message.getChannel());
          }
        });
    String slowChat = slow.call(requestChat("Slow")).getString("chatId");
    await().until(() -> cometd.chats.runningFeeds() == 2);
    reading.set(false);

    // 20 messages of 8 KiB (160 KiB) each: 2.5 times the budget, 1/50 of max-queue. The reader
    // takes each before the next, so it gets them all; none reach the client that stopped.
    for (int i = 1; i <= 20; i++) {
      join(cometd.chats.agentSays(slowChat, TEXT));
      join(cometd.chats.agentSays(readerChat, TEXT));
      long n = i;
      await().pollInterval(Duration.ofMillis(10)).until(() -> pushedMessages(reader) == n);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> cometd.endpoint.sessionCount() == 1);
    await().until(() -> cometd.chats.runningFeeds() == 1);
    assertThat(slowClients("max-queued-bytes")).isEqualTo(1.0);
    assertThat(slowClients("max-queue")).isZero();
    join(cometd.chats.agentSays(readerChat, "still here"));
    await().until(() -> pushedMessages(reader) == 21);
    JsonObject send =
        reader.call(new JsonObject().put("operation", "sendMessage").put("message", "thanks"));
    assertThat(send.getInteger("statusCode")).isZero();
    assertThat(cometd.endpoint.sessionCount()).isEqualTo(1);
    slow.bayeux.abort(); // its session is gone: a disconnect would wait for an answer
  }

  @Test
  void a_websocket_that_does_not_read_is_cut_off_by_bytes() throws Exception {
    WebSocketClient wsClient =
        vertx.createWebSocketClient(new WebSocketClientOptions().setReceiveBufferSize(16 * 1024));
    WebSocket ws =
        join(wsClient.connect(cometd.server.actualPort(), "127.0.0.1", CometdOptions.DEFAULT_PATH));
    List<JsonObject> frames = new CopyOnWriteArrayList<>();
    ws.textMessageHandler(t -> new JsonArray(t).forEach(m -> frames.add((JsonObject) m)));
    AtomicBoolean closed = new AtomicBoolean();
    ws.closeHandler(v -> closed.set(true));
    String clientId =
        bayeux(
                ws,
                frames,
                new JsonObject()
                    .put("channel", Channel.META_HANDSHAKE)
                    .put("version", "1.0")
                    .put("supportedConnectionTypes", new JsonArray().add("websocket")))
            .getString("clientId");
    JsonObject connect =
        new JsonObject()
            .put("channel", Channel.META_CONNECT)
            .put("clientId", clientId)
            .put("connectionType", "websocket");
    bayeux(ws, frames, connect.copy().put("advice", new JsonObject().put("timeout", 0)));
    ws.writeTextMessage(
        new JsonArray()
            .add(
                new JsonObject()
                    .put("channel", BayeuxTestClient.CHANNEL)
                    .put("clientId", clientId)
                    .put("data", requestChat("Deaf")))
            .encode());
    await().until(() -> cometd.chats.runningFeeds() == 1);
    bayeux(ws, frames, connect); // returns at once with the requestChat reply
    // A held /meta/connect: CometD writes new messages at once, while the socket takes them.
    ws.writeTextMessage(new JsonArray().add(connect).encode());
    ws.pause();

    // Far more than the budget and the sockets' buffers; fewer messages than max-queue.
    for (int i = 0; i < 500 && cometd.endpoint.sessionCount() > 0; i++) {
      join(cometd.chats.agentSays(cometd.chats.lastChatId(), TEXT));
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> cometd.endpoint.sessionCount() == 0);
    await().until(() -> cometd.chats.runningFeeds() == 0);
    assertThat(slowClients("max-queued-bytes")).isEqualTo(1.0);
    assertThat(slowClients("max-queue")).isZero();
    join(wsClient.close());
  }

  /** Sends one Bayeux message on {@code ws} and gives its reply. */
  private static JsonObject bayeux(WebSocket ws, List<JsonObject> frames, JsonObject message) {
    String channel = message.getString("channel");
    int seen = replies(frames, channel).size();
    ws.writeTextMessage(new JsonArray().add(message).encode());
    await().until(() -> replies(frames, channel).size() > seen);
    JsonObject reply = replies(frames, channel).get(seen);
    assertThat(reply.getBoolean("successful")).as(reply.encode()).isTrue();
    return reply;
  }

  private static List<JsonObject> replies(List<JsonObject> frames, String channel) {
    return frames.stream().filter(f -> channel.equals(f.getString("channel"))).toList();
  }

  private static long pushedMessages(BayeuxTestClient client) {
    return client.pushes().stream().mapToLong(p -> p.getJsonArray("messages").size()).sum();
  }

  private double slowClients(String limit) {
    return cometd
        .metrics
        .get("hachat.webapi.cometd.slow.clients")
        .tag("limit", limit)
        .counter()
        .count();
  }
}
