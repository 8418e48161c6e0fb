package dev.hachat.gms.cometd;

import static dev.hachat.gms.cometd.BayeuxTestClient.requestChat;
import static dev.hachat.testing.Await.join;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hachat.gms.cometd.BayeuxClients.Transport;
import dev.hachat.gms.cometd.impl.CometdEndpointImpl;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The CometD endpoint driven by the real CometD Java client over both transports, against an
 * in-memory chat service: this tests the transport adapter and the chatV2 channel mapping.
 */
@ExtendWith(VertxExtension.class)
class CometdEndpointTest {

  private static final int BAD_REQUEST = 100;

  private CometdTestServer cometd;
  private InMemoryChatService chats;
  private CometdEndpoint endpoint;

  @BeforeEach
  void start(Vertx vertx) throws Exception {
    cometd =
        new CometdTestServer(
            vertx, new CometdOptions().setTimeoutMs(3_000).setMaxIntervalMs(3_000));
    chats = cometd.chats;
    endpoint = cometd.endpoint;
  }

  @AfterEach
  void stop() throws Exception {
    cometd.close();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void handshakes_and_requests_a_chat(Transport transport) {
    BayeuxTestClient client = client(transport);

    JsonObject reply = client.call(requestChat("Ann"));

    assertThat(reply.getInteger("statusCode")).isZero();
    assertThat(reply.getString("chatId")).isNotBlank();
    assertThat(reply.getString("userId")).isNotBlank();
    assertThat(reply.getString("secureKey")).isNotBlank();
    assertThat(reply.getString("alias")).isNotBlank();
    assertThat(reply.getBoolean("chatEnded")).isFalse();
    assertThat(reply.getInteger("nextPosition")).isEqualTo(2);
    assertThat(reply.getJsonArray("messages").getJsonObject(0).getString("type"))
        .isEqualTo("ParticipantJoined");
    assertThat(client.bayeux.getTransport().getName()).isEqualTo(transport.bayeuxName());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void sends_a_message_with_only_the_secure_key_and_gets_it_pushed_once(Transport transport) {
    BayeuxTestClient client = client(transport);
    JsonObject chat = client.call(requestChat("Ann"));

    JsonObject reply =
        client.call(
            new JsonObject()
                .put("operation", "sendMessage")
                .put("message", "hello")
                .put("messageId", "m-1")
                .put("secureKey", chat.getString("secureKey")));

    assertThat(reply.getInteger("statusCode")).isZero();
    assertThat(reply.getString("messageId")).as("echoed for pipelined sends").isEqualTo("m-1");
    assertThat(reply.containsKey("messages")).as("the feed delivers the transcript").isFalse();
    await().until(() -> indexes(client).contains(2));
    JsonObject pushed = client.pushes().get(0);
    assertThat(pushed.getString("chatId")).isEqualTo(chat.getString("chatId"));
    JsonObject message = pushed.getJsonArray("messages").getJsonObject(0);
    assertThat(message.getString("text")).isEqualTo("hello");
    assertThat(message.getJsonObject("from").getString("type")).isEqualTo("Client");
    assertThat(indexes(client)).containsExactly(1, 2);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void pushes_what_the_agent_writes(Transport transport) {
    BayeuxTestClient client = client(transport);
    JsonObject chat = client.call(requestChat("Ann"));

    join(chats.agentSays(chat.getString("chatId"), "How can I help?"));

    await().until(() -> !client.pushes().isEmpty());
    JsonObject push = client.pushes().get(0);
    assertThat(push.getInteger("statusCode")).isZero();
    assertThat(push.getInteger("nextPosition")).isEqualTo(3);
    JsonObject message = push.getJsonArray("messages").getJsonObject(0);
    assertThat(message.getString("text")).isEqualTo("How can I help?");
    assertThat(message.getJsonObject("from").getString("type")).isEqualTo("Agent");
    assertThat(message.getInteger("index")).isEqualTo(2);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void requestNotifications_replays_from_a_position_then_follows_on(Transport transport) {
    BayeuxTestClient first = client(transport);
    JsonObject chat = first.call(requestChat("Ann"));
    String chatId = chat.getString("chatId");
    join(chats.agentSays(chatId, "one"));
    join(chats.agentSays(chatId, "two"));
    await().until(() -> indexes(first).contains(3));

    // A new Bayeux session (a page reload): it names the chat and its credentials.
    BayeuxTestClient second = client(transport);
    JsonObject reply = second.call(BayeuxTestClient.requestNotifications(chat, "2"));

    assertThat(reply.getInteger("statusCode")).isZero();
    assertThat(reply.getInteger("nextPosition")).isEqualTo(4);
    assertThat(indexes(second)).containsExactly(2, 3);
    join(chats.agentSays(chatId, "three"));
    await().until(() -> indexes(second).contains(4));
    JsonObject send =
        second.call(
            new JsonObject()
                .put("operation", "sendMessage")
                .put("message", "back again")
                .put("secureKey", chat.getString("secureKey")));
    assertThat(send.getInteger("statusCode")).isZero();
    await().until(() -> indexes(second).contains(5));
    assertThat(indexes(second)).containsExactly(2, 3, 4, 5);
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void bad_operations_get_status_2_and_the_session_goes_on(Transport transport) {
    BayeuxTestClient client = client(transport);

    JsonObject unknown = client.call(new JsonObject().put("operation", "fly"));
    assertThat(unknown.getInteger("statusCode")).isEqualTo(2);
    assertThat(errorCode(unknown)).isEqualTo(BAD_REQUEST);
    assertThat(advice(unknown)).contains("fly");

    JsonObject noChat = client.call(new JsonObject().put("operation", "sendMessage"));
    assertThat(errorCode(noChat)).isEqualTo(BAD_REQUEST);
    assertThat(advice(noChat)).contains("requestChat first");

    client.publish(new JsonObject().put("message", "no operation"));
    await()
        .until(
            () ->
                client.received.stream()
                    .anyMatch(m -> m.containsKey("errors") && advice(m).contains("operation")));

    JsonObject serviceRefusal = client.call(new JsonObject().put("operation", "requestChat"));
    assertThat(serviceRefusal.getInteger("statusCode")).isEqualTo(2);

    JsonObject chat = client.call(requestChat("Ann"));
    JsonObject badPosition =
        client.call(
            new JsonObject()
                .put("operation", "requestNotifications")
                .put("transcriptPosition", "abc"));
    assertThat(errorCode(badPosition)).isEqualTo(BAD_REQUEST);
    assertThat(advice(badPosition)).contains("transcriptPosition");
    JsonObject wrongKey =
        client.call(
            new JsonObject()
                .put("operation", "sendMessage")
                .put("message", "x")
                .put("secureKey", "not-the-key"));
    assertThat(errorCode(wrongKey)).isEqualTo(InMemoryChatService.WRONG_KEY);

    assertThat(client.bayeux.isConnected()).isTrue();
    JsonObject ok =
        client.call(
            new JsonObject()
                .put("operation", "startTyping")
                .put("secureKey", chat.getString("secureKey")));
    assertThat(ok.getInteger("statusCode")).isZero();
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void disconnect_replies_then_stops_the_feed(Transport transport) {
    BayeuxTestClient client = client(transport);
    JsonObject chat = client.call(requestChat("Ann"));
    await().until(() -> chats.runningFeeds() == 1);

    JsonObject reply =
        client.call(
            new JsonObject()
                .put("operation", "disconnect")
                .put("secureKey", chat.getString("secureKey")));

    assertThat(reply.getInteger("statusCode")).isZero();
    assertThat(reply.getBoolean("chatEnded")).isTrue();
    await().until(() -> chats.runningFeeds() == 0 && feeds() == 0);
    assertThat(indexes(client))
        .as("ParticipantLeft rides the reply or the feed, once")
        .containsExactly(1, 2);
    JsonObject after =
        client.call(new JsonObject().put("operation", "sendMessage").put("message", "x"));
    assertThat(advice(after)).as("the chat is no longer bound").contains("requestChat first");
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void removing_the_bayeux_session_stops_its_feeds(Transport transport) {
    BayeuxTestClient client = client(transport);
    client.call(requestChat("Ann"));
    await().until(() -> feeds() == 1 && chats.runningFeeds() == 1);

    client.disconnect();

    await().until(() -> endpoint.sessionCount() == 0);
    await().until(() -> feeds() == 0 && chats.runningFeeds() == 0);
  }

  private BayeuxTestClient client(Transport transport) {
    return cometd.connect(transport);
  }

  private static List<Integer> indexes(BayeuxTestClient client) {
    return client.transcript().stream().map(m -> m.getInteger("index")).toList();
  }

  private static int errorCode(JsonObject reply) {
    return reply.getJsonArray("errors").getJsonObject(0).getInteger("code");
  }

  private static String advice(JsonObject reply) {
    return reply.getJsonArray("errors").getJsonObject(0).getString("advice");
  }

  private int feeds() {
    return join(((CometdEndpointImpl) endpoint).feedCount());
  }
}
