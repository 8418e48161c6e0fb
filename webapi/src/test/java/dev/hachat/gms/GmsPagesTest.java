package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.cometd.BayeuxClients;
import dev.hachat.gms.cometd.BayeuxClients.Transport;
import dev.hachat.gms.cometd.BayeuxTestClient;
import dev.hachat.gms.config.GmsOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Transcript messages come in pages ({@code page-items} 5 and {@code page-bytes} 2 KiB here) in
 * REST and CometD replies and in feed pushes; following {@code nextPosition} gives every message
 * once, in order, and the end comes with the last page.
 */
class GmsPagesTest extends GmsTestBase {
  private static final String LONG = "y".repeat(900); // two of them fill a 2 KiB page

  @Override
  protected GmsOptions gmsOptions() {
    return super.gmsOptions().setPageItems(5).setPageBytes(2048);
  }

  /** A chat of 1 + 12 short + 4 long messages (17 entries). */
  private Chat longChat() throws Exception {
    Chat c = requestChat("Ann");
    for (int i = 0; i < 12; i++) {
      op(c, "send", c.auth("message", "m" + i));
    }
    for (int i = 0; i < 4; i++) {
      op(c, "send", c.auth("message", LONG));
    }
    return c;
  }

  private static List<Long> indexes(JsonArray messages) {
    return messages.stream().map(m -> ((JsonObject) m).getLong("index")).toList();
  }

  private static List<Long> range(long from, long to) {
    return LongStream.rangeClosed(from, to).boxed().toList();
  }

  @Test
  void refresh_gives_pages_that_following_next_position_reads_once_in_order() throws Exception {
    Chat c = longChat();
    op(c, "disconnect", c.auth());
    List<Long> read = new ArrayList<>();
    List<Integer> sizes = new ArrayList<>();
    long position = 1;
    JsonObject page;
    do {
      page = op(c, "refresh", c.auth("transcriptPosition", String.valueOf(position)));
      assertThat(page.getInteger("statusCode")).as(page.encode()).isZero();
      read.addAll(indexes(page.getJsonArray("messages")));
      sizes.add(page.getJsonArray("messages").size());
      boolean more = page.getBoolean("more", false);
      assertThat(page.getBoolean("chatEnded"))
          .as("the end waits for the last page")
          .isNotEqualTo(more);
      position = page.getLong("nextPosition");
    } while (page.getBoolean("more", false));

    assertThat(read).isEqualTo(range(1, 18)); // 17 entries and the customer's ParticipantLeft
    // 18 messages would take 4 pages of 5; the long ones take more (at most two a page)
    assertThat(sizes).allMatch(n -> n <= 5).hasSizeGreaterThan(4).startsWith(5, 5);
    assertThat(page.containsKey("more")).as("absent on the last page, as GMS has it").isFalse();
  }

  @Test
  void a_feed_delivers_a_long_catch_up_in_pages() throws Exception {
    Chat c = longChat();
    List<JsonObject> updates = new CopyOnWriteArrayList<>();
    JsonObject p =
        new JsonObject()
            .put("userId", c.userId())
            .put("secureKey", c.secureKey())
            .put("alias", c.alias())
            .put("transcriptPosition", 1);
    ChatService.Feed feed =
        await(gms.service().follow("customer-support", c.chatId(), p, updates::add));

    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> GmsFeedTest.indexes(updates).size() >= 17);
    assertThat(GmsFeedTest.indexes(updates)).isEqualTo(range(1, 17));
    assertThat(updates).hasSizeGreaterThan(3).allMatch(u -> u.getJsonArray("messages").size() <= 5);
    for (JsonObject u : updates) {
      assertThat(u.getLong("nextPosition")).isEqualTo(lastIndex(u) + 1);
    }
    feed.cancel();
  }

  @Test
  void request_notifications_over_cometd_replies_one_page_then_the_feed_gives_the_rest()
      throws Exception {
    Chat c = longChat();
    try (BayeuxClients clients = new BayeuxClients()) {
      BayeuxTestClient widget =
          clients.connect(
              "http://127.0.0.1:" + gms.port() + "/genesys/cometd", Transport.WEBSOCKET);
      JsonObject credentials =
          new JsonObject()
              .put("chatId", c.chatId())
              .put("userId", c.userId())
              .put("alias", c.alias())
              .put("secureKey", c.secureKey());

      JsonObject reply = widget.call(BayeuxTestClient.requestNotifications(credentials, 1));

      assertThat(reply.getInteger("statusCode")).as(reply.encode()).isZero();
      assertThat(indexes(reply.getJsonArray("messages"))).isEqualTo(range(1, 5));
      assertThat(reply.getBoolean("more")).isTrue();
      assertThat(reply.getInteger("nextPosition")).isEqualTo(6);
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> widget.transcript().size() >= 17);
      assertThat(widget.transcript().stream().map(m -> m.getLong("index")).toList())
          .isEqualTo(range(1, 17));
      assertThat(widget.pushes()).allMatch(u -> u.getJsonArray("messages").size() <= 5);
    }
  }

  private static long lastIndex(JsonObject update) {
    JsonArray m = update.getJsonArray("messages");
    return m.getJsonObject(m.size() - 1).getLong("index");
  }
}
