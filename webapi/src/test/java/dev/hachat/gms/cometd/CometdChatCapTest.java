package dev.hachat.gms.cometd;

import static dev.hachat.gms.cometd.BayeuxTestClient.requestChat;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.config.EdgeOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One Bayeux client cannot hold more than edge.max-chats-per-cometd-client open chats. */
class CometdChatCapTest {
  private final Vertx vertx = Vertx.vertx();
  private CometdTestServer cometd;

  @BeforeEach
  void start() throws Exception {
    cometd =
        new CometdTestServer(
            vertx,
            new CometdOptions(),
            new EdgeOptions().setMaxChatsPerCometdClient(2),
            new HttpServerOptions());
  }

  @AfterEach
  void stop() throws Exception {
    cometd.close();
    await(vertx.close());
  }

  private BayeuxTestClient client() {
    return cometd.connect(BayeuxClients.Transport.LONG_POLLING);
  }

  @Test
  void a_third_open_chat_is_rate_limited_until_one_ends() {
    BayeuxTestClient client = client();
    JsonObject first = client.call(requestChat("Ann"));
    assertThat(first.getInteger("statusCode")).isZero();
    assertThat(client.call(requestChat("Ann")).getInteger("statusCode")).isZero();

    JsonObject third = client.call(requestChat("Ann"));
    assertThat(third.getInteger("statusCode")).isEqualTo(1);
    assertThat(third.getJsonArray("errors").getJsonObject(0).getString("name"))
        .isEqualTo("RATE_LIMITED");
    assertThat(
            cometd
                .metrics
                .get("hachat.webapi.rate.limited")
                .tag("limit", "chats-per-cometd-client")
                .counter()
                .count())
        .isEqualTo(1.0);
    assertThat(client().call(requestChat("Bob")).getInteger("statusCode"))
        .as("another client has its own count")
        .isZero();

    JsonObject left =
        client.call(
            new JsonObject()
                .put("operation", "disconnect")
                .put("chatId", first.getString("chatId"))
                .put("secureKey", first.getString("secureKey")));
    assertThat(left.getInteger("statusCode")).isZero();
    assertThat(client.call(requestChat("Ann")).getInteger("statusCode")).isZero();
  }
}
