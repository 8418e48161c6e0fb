package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.WaitingChat;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Replies with lists come in pages ({@code esp.page-items} 5, {@code esp.page-bytes} 2 KiB here):
 * raw frames stay within the page, and the Java client puts the pages together with nothing lost or
 * repeated.
 */
class EspPagesTest extends EspTestBase {
  private static final String LINE = "x".repeat(300);

  {
    options.setPageItems(5).setPageBytes(2048);
  }

  /** A raw, logged-in ESP socket and the replies it receives. */
  private final class Raw {
    final WebSocketClient client = vertx.createWebSocketClient(); // held: unreferenced, it closes
    final WebSocket ws;
    final BlockingQueue<JsonObject> replies = new LinkedBlockingQueue<>();
    int id;

    Raw() throws Exception {
      ws = await(client.connect(port, "127.0.0.1", "/esp"));
      ws.textMessageHandler(
          t -> {
            JsonObject f = new JsonObject(t);
            if ("reply".equals(f.getString("type"))) {
              replies.add(f);
            }
          });
      call(new JsonObject().put("op", "login").put("agentId", "raw").put("nickname", "Raw"));
    }

    JsonObject call(JsonObject request) throws Exception {
      int n = ++id;
      ws.writeTextMessage(request.put("type", "request").put("id", n).encode());
      JsonObject r = replies.poll(10, TimeUnit.SECONDS);
      assertThat(r).as("reply to " + request).isNotNull();
      assertThat(r.getInteger("id")).isEqualTo(n);
      return r;
    }
  }

  private Joined chatWith(int messages) throws Exception {
    Joined c = customer();
    Session s = session(c);
    for (int i = 1; i <= messages; i++) {
      await(s.send(c.participantId(), c.secureKey(), "m" + i, LINE + i));
    }
    return c;
  }

  private static List<String> texts(List<Entry> entries) {
    return entries.stream()
        .filter(e -> e.type() == EntryType.MESSAGE)
        .map(e -> e.text().substring(LINE.length()))
        .toList();
  }

  private static List<String> numbers(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(String.valueOf(i));
    }
    return out;
  }

  @Test
  void an_accept_of_a_long_chat_answers_one_page_and_the_client_reads_the_rest() throws Exception {
    Raw raw = new Raw();
    Joined c = chatWith(23);
    JsonObject r = raw.call(new JsonObject().put("op", "observe").put("chatId", c.chatId()));
    JsonObject page = r.getJsonObject("result");
    assertThat(page.getBoolean("more")).isTrue();
    assertThat(page.getJsonArray("entries").size()).isBetween(1, 5);
    assertThat(page.getJsonArray("entries").encode().length()).isLessThan(2048 + LINE.length() * 2);

    EspClient agent = agent("a1", "Bob");
    AcceptedChat accepted = await(agent.accept(c.chatId()));
    assertThat(texts(accepted.entries())).containsExactlyElementsOf(numbers(23));
    List<Long> indexes = accepted.entries().stream().map(Entry::index).toList();
    assertThat(indexes).doesNotHaveDuplicates().isSorted();
    assertThat(accepted.nextPosition()).isEqualTo(indexes.get(indexes.size() - 1) + 1);

    assertThat(texts(await(agent.refresh(c.chatId(), 0)).entries()))
        .containsExactlyElementsOf(numbers(23));
    JsonObject tail =
        raw.call(new JsonObject().put("op", "refresh").put("chatId", c.chatId()).put("after", 0));
    assertThat(tail.getJsonObject("result").getBoolean("more")).isTrue();
  }

  @Test
  void list_waiting_pages_oldest_first_and_a_bad_cursor_is_refused() throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      ids.add(customer().chatId());
    }
    Raw raw = new Raw();
    List<String> paged = new ArrayList<>();
    Object after = null;
    int pages = 0;
    do {
      JsonObject request = new JsonObject().put("op", "listWaiting");
      if (after != null) {
        request.put("after", after);
      }
      JsonObject result = raw.call(request).getJsonObject("result");
      assertThat(result.getJsonArray("chats").size()).isBetween(1, 5);
      assertThat(result.getInteger("total")).isEqualTo(12);
      result.getJsonArray("chats").forEach(o -> paged.add(((JsonObject) o).getString("chatId")));
      after = result.getValue("next");
      pages++;
    } while (after != null);
    assertThat(pages).isEqualTo(3);
    assertThat(paged).containsExactlyInAnyOrderElementsOf(ids).doesNotHaveDuplicates();

    EspClient agent = agent("a1", "Bob");
    assertThat(await(agent.listWaiting())).extracting(WaitingChat::chatId).isEqualTo(paged);
    JsonObject bad = raw.call(new JsonObject().put("op", "listWaiting").put("after", "nope"));
    assertThat(bad.getBoolean("ok")).isFalse();
    assertThat(bad.getJsonObject("error").getString("code")).isEqualTo("BAD_REQUEST");
  }

  @Test
  void a_burst_of_user_data_updates_reaches_agents_as_few_chat_waiting_events() throws Exception {
    EspClient agent = agent("a1", "Bob");
    List<WaitingChat> events = new java.util.concurrent.CopyOnWriteArrayList<>();
    agent.onChatWaiting(events::add);
    Joined c = customer();
    org.awaitility.Awaitility.await().until(() -> events.size() == 1);
    Session s = session(c);
    for (int i = 1; i <= 30; i++) {
      await(s.updateData(c.participantId(), c.secureKey(), Map.of("step", "s" + i)));
    }
    org.awaitility.Awaitility.await()
        .until(() -> "s30".equals(events.get(events.size() - 1).userData().get("step")));
    assertThat(events.size()).as("announcements of 1 start + 30 updates").isLessThanOrEqualTo(4);
  }
}
