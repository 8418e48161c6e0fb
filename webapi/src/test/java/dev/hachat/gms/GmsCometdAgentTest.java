package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.ChatSlice;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.esp.client.FailoverEspClientOptions;
import dev.hachat.gms.cometd.BayeuxClients;
import dev.hachat.gms.cometd.BayeuxClients.Transport;
import dev.hachat.gms.cometd.BayeuxTestClient;
import dev.hachat.gms.config.GmsOptions;
import dev.hachat.server.ChatServer;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The acceptance test: a widget on the real CometD Java client, over each Bayeux transport,
 * talks to the web API server's {@code /genesys/cometd} while an agent works the chat with the real
 * ESP client on the owning instance's ESP port. Two instances and the web API server run in this
 * process on a shared in-memory store (see {@link GmsTestBase}).
 */
class GmsCometdAgentTest extends GmsTestBase {

  private static final Duration FAILOVER = Duration.ofSeconds(30);

  private BayeuxClients clients;

  /** Every entry the agent got over ESP, in arrival order. */
  private final List<Entry> heard = new CopyOnWriteArrayList<>();

  @Override
  protected GmsOptions gmsOptions() {
    GmsOptions o = super.gmsOptions();
    o.getRouting().setFailoverDeadline(20_000); // above the instances' 3 s heartbeat timeout
    return o;
  }

  @BeforeEach
  void startClients() throws Exception {
    clients = new BayeuxClients();
  }

  @AfterEach
  void stopClients() throws Exception {
    clients.close();
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void a_widget_chats_with_an_esp_agent_then_resumes_after_a_position(Transport transport)
      throws Exception {
    BayeuxTestClient customer = widget(transport);
    JsonObject chat = customer.call(BayeuxTestClient.requestChat("Ann"));
    assertThat(chat.getInteger("statusCode")).as(chat.encode()).isZero();
    String chatId = chat.getString("chatId");
    EspClient agent = agentAccepts(chatId, chat.getString("alias"));

    assertThat(customer.call(sendMessage("I cannot log in")).getInteger("statusCode")).isZero();
    Entry question = awaitHeard("I cannot log in");
    assertThat(question.participantType()).isEqualTo(ParticipantType.CLIENT);

    await(agent.send(chatId, "r1", "Let me reset it"));
    JsonObject answer = awaitMessage(customer, "Let me reset it", Duration.ofSeconds(10));
    assertThat(answer.getJsonObject("from").getString("type")).isEqualTo("Agent");
    assertOnceInOrderFrom(customer, 1);

    // The page reloads: a new Bayeux session resumes from the position after the question.
    long position = question.index() + 1;
    customer.disconnect();
    BayeuxTestClient resumed = widget(transport);
    JsonObject replay = resumed.call(BayeuxTestClient.requestNotifications(chat, position));
    assertThat(replay.getInteger("statusCode")).as(replay.encode()).isZero();

    await(agent.send(chatId, "r2", "Done, try again"));
    awaitMessage(resumed, "Done, try again", Duration.ofSeconds(10));
    // the new session remembers the chat: no chatId or key needed any more
    assertThat(resumed.call(sendMessage("It works")).getInteger("statusCode")).isZero();
    awaitHeard("It works");
    awaitMessage(resumed, "It works", Duration.ofSeconds(10));

    ChatSlice after = await(agent.refresh(chatId, position - 1));
    assertThat(indexes(resumed))
        .as("exactly the entries from the position on, once, in order")
        .containsExactlyElementsOf(after.entries().stream().map(Entry::index).toList());
    assertOnceInOrderFrom(resumed, position);
    assertThat(texts(resumed)).containsExactly("Let me reset it", "Done, try again", "It works");
    assertThat(customerTextsHeard()).containsExactly("I cannot log in", "It works");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Transport.class)
  void the_chat_goes_on_over_cometd_when_its_instance_stops(Transport transport) throws Exception {
    BayeuxTestClient customer = widget(transport);
    JsonObject chat = customer.call(BayeuxTestClient.requestChat("Ann"));
    assertThat(chat.getInteger("statusCode")).as(chat.encode()).isZero();
    String chatId = chat.getString("chatId");
    ChatServer owner = instance(chat.getString("alias"));
    ChatServer survivor = instances.stream().filter(s -> s != owner).findFirst().orElseThrow();
    FailoverEspClient desk =
        await(
            FailoverEspClient.connect(
                vertx,
                new FailoverEspClientOptions()
                    .setEndpoints(
                        List.of("127.0.0.1:" + owner.espPort(), "127.0.0.1:" + survivor.espPort()))
                    .setAgentId("desk-1")
                    .setNickname("Bob")));
    desk.onEntry((id, entry) -> heard.add(entry));
    try {
      await(desk.accept(chatId));
      assertThat(customer.call(sendMessage("before")).getInteger("statusCode")).isZero();
      awaitHeard("before");
      await(desk.send(chatId, "b1", "answer before"));
      awaitMessage(customer, "answer before", Duration.ofSeconds(10));

      instances.remove(owner);
      await(owner.stop());

      JsonObject sent = customer.call(sendMessage("after the stop"), FAILOVER);
      assertThat(sent.getInteger("statusCode")).as(sent.encode()).isZero();
      awaitHeard("after the stop");
      await(desk.send(chatId, "a1", "answer after"));
      awaitMessage(customer, "answer after", FAILOVER);

      JsonObject push =
          customer.pushes().stream()
              .filter(p -> textsOf(p).contains("answer after"))
              .findFirst()
              .orElseThrow();
      assertThat(push.getString("alias")).isEqualTo(survivor.instanceId());
      assertThat(desk.endpointOf(chatId)).isEqualTo("127.0.0.1:" + survivor.espPort());
      assertOnceInOrderFrom(customer, 1);
      assertThat(texts(customer))
          .containsExactly("before", "answer before", "after the stop", "answer after");
      assertThat(customerTextsHeard()).containsExactly("before", "after the stop");
    } finally {
      await(desk.disconnect());
    }
  }

  // ---- helpers

  private BayeuxTestClient widget(Transport transport) {
    BayeuxTestClient client =
        clients.connect("http://127.0.0.1:" + gms.port() + "/genesys/cometd", transport);
    assertThat(client.bayeux.getTransport().getName()).isEqualTo(transport.bayeuxName());
    return client;
  }

  /** An agent logged in on the ESP port of the chat's instance, having accepted it. */
  private EspClient agentAccepts(String chatId, String alias) throws Exception {
    EspClient agent =
        await(
            EspClient.connect(
                vertx,
                new EspClientOptions().setHost("127.0.0.1").setPort(instance(alias).espPort())));
    agents.add(agent);
    agent.onEntry((id, entry) -> heard.add(entry));
    await(agent.login("agent-1", "Bob", null));
    await(agent.accept(chatId));
    return agent;
  }

  private Entry awaitHeard(String text) {
    Awaitility.await("the agent hears '" + text + "' over ESP")
        .atMost(FAILOVER)
        .until(() -> heard.stream().anyMatch(e -> text.equals(e.text())));
    return heard.stream().filter(e -> text.equals(e.text())).findFirst().orElseThrow();
  }

  /** The customer's messages as the agent got them over ESP, each once. */
  private List<String> customerTextsHeard() {
    return heard.stream()
        .filter(e -> e.type() == EntryType.MESSAGE)
        .filter(e -> e.participantType() == ParticipantType.CLIENT)
        .map(Entry::text)
        .toList();
  }

  private static JsonObject awaitMessage(BayeuxTestClient client, String text, Duration atMost) {
    Awaitility.await("the widget gets '" + text + "' over CometD")
        .atMost(atMost)
        .until(() -> texts(client).contains(text));
    return client.transcript().stream()
        .filter(m -> text.equals(m.getString("text")))
        .findFirst()
        .orElseThrow();
  }

  private static void assertOnceInOrderFrom(BayeuxTestClient client, long first) {
    List<Long> seen = indexes(client);
    assertThat(seen).as("transcript indexes delivered").isNotEmpty();
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.get(i)).as("index #%d of %s", i, seen).isEqualTo(first + i);
    }
  }

  private static List<Long> indexes(BayeuxTestClient client) {
    return client.transcript().stream().map(m -> m.getLong("index")).toList();
  }

  /** Texts of the chat messages delivered, in order. */
  private static List<String> texts(BayeuxTestClient client) {
    return client.transcript().stream()
        .filter(m -> "Message".equals(m.getString("type")))
        .map(m -> m.getString("text"))
        .toList();
  }

  @SuppressWarnings("unchecked")
  private static List<String> textsOf(JsonObject delivery) {
    return delivery.getJsonArray("messages") == null
        ? List.of()
        : delivery.getJsonArray("messages").stream()
            .map(o -> o instanceof JsonObject j ? j : new JsonObject((Map<String, Object>) o))
            .map(m -> m.getString("text"))
            .toList();
  }

  private static JsonObject sendMessage(String text) {
    return new JsonObject().put("operation", "sendMessage").put("message", text);
  }
}
