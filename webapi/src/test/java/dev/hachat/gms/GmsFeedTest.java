package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.gms.api.ChatService;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** {@link ChatService#follow}: the push feed the CometD transport delivers to widgets. */
class GmsFeedTest extends GmsTestBase {

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
