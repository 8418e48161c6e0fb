package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;

import io.vertx.core.http.WebSocket;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.RepeatedTest;

/**
 * A push socket closed while its subscription is being set up leaves no listener behind: messages
 * are soon counted out to nobody ({@code messages_out} counts one per listener and entry).
 */
class PushLeakTest extends WebApiTestBase {

  private long messagesOut() {
    return engine.kpi().toJson().getLong("messages_out");
  }

  @RepeatedTest(5)
  void a_socket_closed_mid_subscribe_keeps_no_listener() throws Exception {
    Customer c = requestChat();
    WebSocket ws =
        await(wsClient.connect(port, "127.0.0.1", "/v1/chats/" + c.chatId() + "/events"));
    ws.writeTextMessage(
        new JsonObject().put("participantId", c.pid()).put("secureKey", c.key()).encode());
    ws.close();
    AtomicInteger n = new AtomicInteger();
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              long before = messagesOut();
              send(c, "m" + n.incrementAndGet(), "anyone there?");
              return messagesOut() == before;
            });
  }
}
