package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.config.WebApiPortOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.AfterClose;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Ha;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.Entry;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.TranscriptStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WebApiSlowConsumerTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  @Test
  void a_client_that_stops_reading_is_closed_with_4008_and_others_go_on() throws Exception {
    Kpi kpi = new Kpi(new SimpleMeterRegistry());
    TranscriptStore store = TranscriptStores.inMemory();
    ChatEngine engine =
        ChatEngine.create(
            vertx,
            "cs-slow",
            store,
            dev.hachat.server.testing.GenerousLimits.sessionOptions().setMaxMessageSize(64 * 1024),
            new TranscriptOptions(),
            kpi,
            Clock.systemUTC(),
            Ha.standAlone(),
            AfterClose.deleteRecords(store));
    await(engine.start(1));
    int port =
        await(
            WebApiServer.create(
                    vertx, engine, new WebApiPortOptions().setMaxQueuedEvents(8).setPort(0))
                .listen());
    Joined c = await(engine.requestChat("Ann", "", Map.of()));
    Session s = await(engine.find(c.chatId()));
    WebSocketClient client = vertx.createWebSocketClient();
    WebSocket ws = await(client.connect(port, "127.0.0.1", "/v1/chats/" + c.chatId() + "/events"));
    ws.handler(b -> {});
    ws.writeTextMessage(
        new JsonObject()
            .put("participantId", c.participantId())
            .put("secureKey", c.secureKey())
            .encode());
    ws.pause(); // stops reading: the socket buffers fill, writes stop completing

    String big = "x".repeat(60 * 1024);
    List<Future<Entry>> sends = new ArrayList<>();
    for (int i = 0; i < 400 && !ws.isClosed(); i++) {
      sends.add(s.send(c.participantId(), c.secureKey(), "m" + i, big));
      if (i % 50 == 49) {
        await(sends.get(sends.size() - 1));
      }
    }
    ws.resume();
    Awaitility.await().atMost(30, TimeUnit.SECONDS).until(ws::isClosed);
    assertThat(ws.closeStatusCode()).isEqualTo((short) 4008);
    assertThat(kpi.toJson().getLong("slow_consumer_disconnects")).isEqualTo(1);
    // The session itself was never slowed down or harmed.
    for (Future<Entry> f : sends) {
      await(f);
    }
    assertThat(await(s.send(c.participantId(), c.secureKey(), "last", "ok")).text())
        .isEqualTo("ok");
  }
}
