package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.config.GmsOptions;
import dev.hachat.gms.directory.InstanceDirectory;
import dev.hachat.gms.routing.ChatRouter;
import dev.hachat.gms.service.GmsChatService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import io.vertx.core.metrics.MetricsOptions;
import io.vertx.core.spi.metrics.HttpClientMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@link ChatService#follow}: the push feed the CometD transport delivers to widgets. */
class GmsFeedTest extends GmsTestBase {

  /**
   * The HTTP and WebSocket clients a Vert.x has open, and their open WebSockets (the Vert.x metrics
   * SPI: a client's metrics are closed with the client).
   */
  static final class OpenClients implements VertxMetrics {
    final AtomicInteger clients = new AtomicInteger();
    final AtomicInteger webSockets = new AtomicInteger();

    @Override
    public HttpClientMetrics<?, ?, ?> createHttpClientMetrics(HttpClientOptions options) {
      clients.incrementAndGet();
      return new HttpClientMetrics<Object, Object, Object>() {
        @Override
        public Object connected(WebSocket webSocket) {
          webSockets.incrementAndGet();
          return null;
        }

        @Override
        public void disconnected(Object webSocket) {
          webSockets.decrementAndGet();
        }

        @Override
        public void close() {
          clients.decrementAndGet();
        }
      };
    }
  }

  private ChatService.Feed follow(Chat c, long position, List<JsonObject> updates)
      throws Exception {
    JsonObject p =
        new JsonObject()
            .put("userId", c.userId())
            .put("secureKey", c.secureKey())
            .put("alias", c.alias())
            .put("transcriptPosition", position);
    return await(gms.service().follow("customer-support", c.chatId(), p, updates::add));
  }

  static List<Long> indexes(List<JsonObject> updates) {
    return updates.stream()
        .flatMap(u -> u.getJsonArray("messages").stream())
        .map(m -> ((JsonObject) m).getLong("index"))
        .toList();
  }

  @Test
  void a_feed_delivers_the_past_then_each_new_entry_once_in_order() throws Exception {
    Chat c = requestChat("Ann");
    op(c, "send", c.auth("message", "one"));
    EspClient agent = agentAccepts(c);
    List<JsonObject> updates = new CopyOnWriteArrayList<>();
    ChatService.Feed feed = follow(c, 1, updates);
    for (int i = 0; i < 5; i++) {
      await(agent.send(c.chatId(), "a" + i, "reply " + i));
      op(c, "send", c.auth("message", "more " + i));
    }
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> indexes(updates).size() >= 13); // join, one, agent join, 10 messages
    List<Long> seen = indexes(updates);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).isEqualTo(i + 1L);
    }
    JsonObject last = updates.get(updates.size() - 1);
    assertThat(last.getLong("nextPosition")).isEqualTo(seen.get(seen.size() - 1) + 1);
    assertThat(last.getString("alias")).isEqualTo(c.alias());
    feed.cancel();
  }

  @Test
  void a_feed_resumes_after_a_position() throws Exception {
    Chat c = requestChat("Ann");
    for (int i = 0; i < 3; i++) {
      op(c, "send", c.auth("message", "m" + i));
    }
    List<JsonObject> updates = new CopyOnWriteArrayList<>();
    ChatService.Feed feed = follow(c, 3, updates);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> indexes(updates).size() >= 2);
    assertThat(indexes(updates)).containsExactly(3L, 4L);
    feed.cancel();
  }

  @Test
  void a_feed_ends_with_chat_ended_when_the_chat_ends() throws Exception {
    Chat c = requestChat("Ann");
    EspClient agent = agentAccepts(c);
    List<JsonObject> updates = new CopyOnWriteArrayList<>();
    follow(c, 1, updates);
    await(agent.close(c.chatId()));
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> updates.stream().anyMatch(u -> u.getBoolean("chatEnded")));
  }

  @Test
  void a_feed_closes_its_websocket_and_its_client_when_the_chat_ends() throws Exception {
    // The feed runs on a Vert.x of its own, so only its clients (and the router's) are counted.
    OpenClients open = new OpenClients();
    Vertx counted =
        Vertx.builder()
            .with(new VertxOptions().setMetricsOptions(new MetricsOptions().setEnabled(true)))
            .withMetrics(o -> open)
            .build();
    try {
      GmsOptions o = gmsOptions();
      InstanceDirectory directory =
          new InstanceDirectory(
              counted, nodes.registry(), o.getDirectory(), 1000, System::nanoTime);
      await(directory.start());
      ChatService service =
          new GmsChatService(
              counted,
              o,
              new ChatRouter(counted, directory, o.getRouting()),
              directory,
              new SimpleMeterRegistry());
      int clients = open.clients.get(); // the router's
      Chat c = requestChat("Ann");
      EspClient agent = agentAccepts(c);
      List<JsonObject> updates = new CopyOnWriteArrayList<>();
      JsonObject p = new JsonObject().put("userId", c.userId()).put("secureKey", c.secureKey());
      await(
          service.follow("customer-support", c.chatId(), p.put("alias", c.alias()), updates::add));
      Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> open.webSockets.get() == 1);
      assertThat(open.clients.get()).as("the feed's WebSocket client").isEqualTo(clients + 1);

      await(agent.close(c.chatId()));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> updates.stream().anyMatch(u -> u.getBoolean("chatEnded")));
      Awaitility.await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                assertThat(open.webSockets.get()).as("open WebSockets").isZero();
                assertThat(open.clients.get()).as("open clients").isEqualTo(clients);
              });
    } finally {
      await(counted.close());
    }
  }

  @Test
  void a_feed_with_a_wrong_key_ends_with_a_fatal_update() throws Exception {
    Chat c = requestChat("Ann");
    List<JsonObject> updates = new CopyOnWriteArrayList<>();
    Chat wrong = new Chat(c.chatId(), c.userId(), "wrong-key", c.alias());
    follow(wrong, 1, updates);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> !updates.isEmpty());
    assertThat(updates.get(0).getInteger("statusCode")).isEqualTo(2);
    assertThat(updates.get(0).getJsonArray("errors").getJsonObject(0).getInteger("code"))
        .isEqualTo(103);
  }
}
