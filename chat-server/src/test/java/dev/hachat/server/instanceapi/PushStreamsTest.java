package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Push sockets on real sockets: one that never sends its first frame is closed at the hello timeout
 * (4001); a participant holds at most {@code session.max-streams-per-participant} (4) streams, a
 * newer one replacing the oldest (4009), and the others keep receiving.
 */
class PushStreamsTest extends WebApiTestBase {
  {
    options.setHelloTimeout(1);
  }

  /** A push socket and what it received: entry texts and its close code. */
  private final class Stream {
    final WebSocket ws;
    final List<String> texts = new CopyOnWriteArrayList<>();
    volatile Short closedWith;

    Stream(Customer c, boolean hello) throws Exception {
      ws = await(wsClient.connect(port, "127.0.0.1", "/v1/chats/" + c.chatId() + "/events"));
      ws.closeHandler(v -> closedWith = ws.closeStatusCode());
      ws.textMessageHandler(
          t -> {
            JsonObject e = new JsonObject(t).getJsonObject("entry");
            if (e != null && "Message".equals(e.getString("type"))) {
              texts.add(e.getString("text"));
            }
          });
      if (hello) {
        ws.writeTextMessage(
            new JsonObject().put("participantId", c.pid()).put("secureKey", c.key()).encode());
      }
    }
  }

  @Test
  void a_socket_without_its_first_frame_is_closed_at_the_hello_timeout() throws Exception {
    Customer c = requestChat();
    long t0 = System.nanoTime();
    Stream silent = new Stream(c, false);
    Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> silent.closedWith != null);
    assertThat(silent.closedWith).isEqualTo(PushConnection.HELLO_TIMEOUT);
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(900L, 4000L);
    assertThat(engine.kpi().toJson().getLong("limit_first_frame_timeouts")).isEqualTo(1);
  }

  @Test
  void a_fifth_stream_of_one_participant_replaces_the_oldest() throws Exception {
    Customer c = requestChat();
    List<Stream> streams = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Stream s = new Stream(c, true);
      streams.add(s);
      send(c, "m" + i, "hello " + i); // each stream is subscribed once it sees its message
      Awaitility.await().until(() -> s.texts.contains("hello " + streams.indexOf(s)));
    }
    Awaitility.await().until(() -> streams.get(0).closedWith != null);
    assertThat(streams.get(0).closedWith).isEqualTo(PushConnection.REPLACED);
    send(c, "last", "still there?");
    for (Stream s : streams.subList(1, 5)) {
      Awaitility.await().until(() -> s.texts.contains("still there?"));
      assertThat(s.closedWith).isNull();
    }
    assertThat(streams.get(0).texts).doesNotContain("still there?");
    assertThat(engine.kpi().toJson().getLong("limit_streams_replaced")).isEqualTo(1);
  }
}
