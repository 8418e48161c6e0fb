package dev.hachat.gms.cometd;

import static dev.hachat.gms.cometd.BayeuxTestClient.requestChat;
import static dev.hachat.testing.Await.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.api.Operation;
import dev.hachat.gms.cometd.BayeuxClients.Transport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Replies that the chat service produces after the publish's own HTTP response was written must
 * reach a long-polling client on its held {@code /meta/connect} at once, not when that connect
 * times out. The server holds connects for {@value #HOLD_MS} ms here; every reply is awaited for at
 * most {@value #BOUND_MS} ms, so a reply left in the session queue until a timeout fails the test
 * whatever the machine's speed.
 */
@ExtendWith(VertxExtension.class)
class CometdLongPollingTest {

  private static final int HOLD_MS = 30_000;
  private static final int BOUND_MS = 10_000;

  private Vertx vertx;
  private HeldSends chats;
  private CometdEndpoint endpoint;
  private HttpServer server;
  private BayeuxClients clients;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    this.vertx = vertx;
    chats = new HeldSends(vertx, new InMemoryChatService(vertx));
    endpoint =
        CometdEndpoint.create(
            vertx, chats, new CometdOptions().setTimeoutMs(HOLD_MS).setMaxIntervalMs(HOLD_MS));
    Router router = Router.router(vertx);
    endpoint.mount(router);
    server = join(vertx.createHttpServer().requestHandler(router).listen(0));
    clients = new BayeuxClients();
  }

  @AfterEach
  void stop() throws Exception {
    chats.releaseAll();
    clients.close();
    join(endpoint.close());
    join(server.close());
  }

  @Test
  void a_reply_produced_after_the_publish_response_comes_on_the_held_connect() throws Exception {
    BayeuxTestClient client = longPolling();
    client.call(requestChat("Ann"));
    AtomicInteger publishAcks = new AtomicInteger();

    publish(client, "m-1", publishAcks);
    await().atMost(Duration.ofMillis(BOUND_MS)).until(() -> publishAcks.get() == 1);
    assertThat(client.replies("sendMessage")).as("held by the chat service").isEmpty();
    chats.releaseNext();

    await()
        .atMost(Duration.ofMillis(BOUND_MS))
        .until(() -> client.replies("sendMessage").size() == 1);
    assertThat(client.replies("sendMessage").get(0).getString("messageId")).isEqualTo("m-1");
  }

  @Test
  void replies_released_between_two_connects_all_arrive_long_before_the_hold_times_out()
      throws Exception {
    BayeuxTestClient client = longPolling();
    client.call(requestChat("Ann"));
    AtomicInteger publishAcks = new AtomicInteger();
    int sends = 20;
    for (int i = 1; i <= sends; i++) {
      publish(client, "m-" + i, publishAcks);
    }
    await().atMost(Duration.ofMillis(BOUND_MS)).until(() -> publishAcks.get() == sends);

    // Each reply is released the moment the previous one reached the client: the client is then
    // just sending its next /meta/connect, so the reply is queued while no connect is held and
    // must leave with the next connect (or the one after), never with a timeout.
    for (int i = 1; i <= sends; i++) {
      chats.releaseNext();
      int expected = i;
      await()
          .atMost(Duration.ofMillis(BOUND_MS))
          .until(() -> client.replies("sendMessage").size() == expected);
    }
    assertThat(client.replies("sendMessage"))
        .extracting(r -> r.getString("messageId"))
        .doesNotHaveDuplicates()
        .hasSize(sends);
    assertThat(client.bayeux.getTransport().getName()).isEqualTo("long-polling");
  }

  private BayeuxTestClient longPolling() {
    return clients.connect(
        "http://localhost:" + server.actualPort() + CometdOptions.DEFAULT_PATH,
        Transport.LONG_POLLING);
  }

  /** Publishes a {@code sendMessage}; {@code publishAcks} counts the publishes' own responses. */
  private static void publish(BayeuxTestClient client, String messageId, AtomicInteger acks) {
    JsonObject data =
        new JsonObject()
            .put("operation", "sendMessage")
            .put("message", "hello " + messageId)
            .put("messageId", messageId);
    client
        .bayeux
        .getChannel(BayeuxTestClient.CHANNEL)
        .publish(
            Json.decodeValue(data.encode(), Map.class),
            reply -> {
              if (reply.isSuccessful()) {
                acks.incrementAndGet();
              }
            });
  }

  /**
   * A chat service whose {@code SEND} results wait until the test releases them, one at a time in
   * arrival order; everything else passes straight through.
   */
  private static final class HeldSends implements ChatService {
    private final Context context;
    private final ChatService delegate;
    private final BlockingQueue<Runnable> held = new LinkedBlockingQueue<>();

    HeldSends(Vertx vertx, ChatService delegate) {
      this.context = vertx.getOrCreateContext();
      this.delegate = delegate;
    }

    @Override
    public Future<JsonObject> requestChat(
        String serviceName, String clientAddress, JsonObject params) {
      return delegate.requestChat(serviceName, clientAddress, params);
    }

    @Override
    public Future<JsonObject> perform(
        String serviceName, String chatId, Operation op, JsonObject params) {
      Future<JsonObject> result = delegate.perform(serviceName, chatId, op, params);
      if (op != Operation.SEND) {
        return result;
      }
      Promise<JsonObject> released = Promise.promise();
      held.add(() -> context.runOnContext(v -> result.onComplete(released)));
      return released.future();
    }

    @Override
    public Future<Feed> follow(
        String serviceName, String chatId, JsonObject params, Handler<JsonObject> onUpdate) {
      return delegate.follow(serviceName, chatId, params, onUpdate);
    }

    /** Releases the oldest held send (waits up to 10 s for one to be held). */
    void releaseNext() throws InterruptedException {
      Runnable next = held.poll(10, TimeUnit.SECONDS);
      if (next == null) {
        throw new AssertionError("no send is held");
      }
      next.run();
    }

    void releaseAll() {
      for (Runnable r = held.poll(); r != null; r = held.poll()) {
        r.run();
      }
    }
  }
}
