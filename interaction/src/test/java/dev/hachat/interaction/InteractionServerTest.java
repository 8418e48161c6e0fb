package dev.hachat.interaction;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hachat.interaction.client.AgentApiClient;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.server.ChatServer;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.server.testing.TestNodes;
import dev.hachat.store.Entry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two instances and an interaction server in this process (memory store and registry, real
 * sockets): chats from both instances are queued and offered, accepted through the agent API and
 * talked in. Failover with real processes: the system tests.
 */
class InteractionServerTest {
  private final TestNodes nodes = TestNodes.inMemory();
  private final List<ChatServer> instances = new CopyOnWriteArrayList<>();
  private final List<AgentApiClient> clients = new CopyOnWriteArrayList<>();
  private InteractionServer ixn;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> fast = Map.of("hachat.ha.heartbeat-interval", "100");
    Future<ChatServer> cs1 = nodes.startServer("cs1", fast);
    Future<ChatServer> cs2 = nodes.startServer("cs2", fast);
    instances.add(await(cs1));
    instances.add(await(cs2));
    InteractionOptions o = new InteractionOptions().setId("ixn-test").setRegistryPollInterval(50);
    o.getHttp().setPort(0);
    o.getRouting().setOfferTimeout(1_000).setDisconnectGrace(500);
    ixn = await(InteractionServer.start(nodes.vertx(), o, nodes.registry(), null));
  }

  @AfterEach
  void stop() throws Exception {
    for (AgentApiClient c : clients) {
      c.disconnect();
    }
    await(ixn.stop());
    nodes.close();
  }

  /** An agent logged in and Ready, recording its events. */
  private AgentApiClient agent(String id, List<JsonObject> events) throws Exception {
    AgentApiClient c = await(AgentApiClient.connect(nodes.vertx(), "127.0.0.1", ixn.port(), ""));
    clients.add(c);
    c.onEvent(events::add);
    JsonObject me = await(c.login(id, "Agent " + id, null, null));
    assertThat(me.getString("state")).isEqualTo("NotReady");
    assertThat(await(c.setState("Ready", "")).getString("state")).isEqualTo("Ready");
    return c;
  }

  private Joined customer(ChatServer on, String service) throws Exception {
    return await(on.engine().requestChat("Ann", "billing", Map.of("GMSServiceName", service)));
  }

  private static List<JsonObject> named(List<JsonObject> events, String name) {
    return events.stream().filter(e -> name.equals(e.getString("event"))).toList();
  }

  @Test
  void chats_from_both_instances_are_offered_accepted_and_talked_in() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    AgentApiClient bob = agent("bob", events);
    for (ChatServer cs : instances) {
      Joined c = customer(cs, "sales");
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> named(events, "offer").stream().anyMatch(o -> chatId(o).equals(c.chatId())));
      JsonObject offer =
          named(events, "offer").stream()
              .filter(o -> chatId(o).equals(c.chatId()))
              .findFirst()
              .get();
      assertThat(offer.getJsonObject("chat").getString("queue")).isEqualTo("sales");
      JsonObject accepted = await(bob.accept(offer.getString("offerId")));
      assertThat(accepted.getString("chatId")).isEqualTo(c.chatId());

      Session s = await(cs.engine().find(c.chatId()));
      await(s.send(c.participantId(), c.secureKey(), "m1", "my invoice is wrong"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  named(events, "entry").stream()
                      .anyMatch(
                          e ->
                              c.chatId().equals(e.getString("chatId"))
                                  && "my invoice is wrong"
                                      .equals(e.getJsonObject("entry").getString("text"))));
      await(bob.send(c.chatId(), "r1", "let me look"));
      List<Entry> seen = await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
      assertThat(seen).extracting(Entry::text).contains("let me look");

      await(bob.close(c.chatId(), "resolved"));
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () ->
                  named(events, "chatClosed").stream()
                      .anyMatch(e -> c.chatId().equals(e.getString("chatId"))));
    }
  }

  @Test
  void a_chat_goes_to_one_agent_and_on_to_the_next_after_a_reject() throws Exception {
    List<JsonObject> a = new CopyOnWriteArrayList<>();
    List<JsonObject> b = new CopyOnWriteArrayList<>();
    AgentApiClient ann = agent("ann", a);
    AgentApiClient ben = agent("ben", b);
    Joined c = customer(instances.get(0), "sales");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> named(a, "offer").size() + named(b, "offer").size() == 1);
    boolean annFirst = named(a, "offer").size() == 1;
    AgentApiClient first = annFirst ? ann : ben;
    JsonObject offer = (annFirst ? named(a, "offer") : named(b, "offer")).get(0);
    await(first.reject(offer.getString("offerId")));
    List<JsonObject> other = annFirst ? b : a;
    await().atMost(Duration.ofSeconds(5)).until(() -> named(other, "offer").size() == 1);
    assertThat(chatId(named(other, "offer").get(0))).isEqualTo(c.chatId());
  }

  @Test
  void an_unanswered_offer_times_out_and_is_revoked() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    agent("solo", events);
    customer(instances.get(1), "sales");
    await().atMost(Duration.ofSeconds(5)).until(() -> named(events, "offerRevoked").size() == 1);
    assertThat(named(events, "offerRevoked").get(0).getString("reason")).isEqualTo("timeout");
  }

  @Test
  void a_customer_who_leaves_the_queue_is_taken_back_from_the_offer() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    agent("solo", events);
    Joined c = customer(instances.get(0), "sales");
    await().atMost(Duration.ofSeconds(5)).until(() -> named(events, "offer").size() == 1);
    Session s = await(instances.get(0).engine().find(c.chatId()));
    await(s.leave(c.participantId(), c.secureKey()));
    await().atMost(Duration.ofSeconds(5)).until(() -> named(events, "offerRevoked").size() == 1);
    assertThat(named(events, "offerRevoked").get(0).getString("reason")).isEqualTo("gone");
  }

  @Test
  void a_queued_customer_is_told_its_place_and_a_supervisor_stops_the_chat() throws Exception {
    Joined c = customer(instances.get(1), "sales"); // nobody is Ready: it waits
    Session s = await(instances.get(1).engine().find(c.chatId()));
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries().stream()
                    .anyMatch(e -> "You are number 1 in the queue.".equals(e.text())));
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    AgentApiClient sup = agent("sup", events); // open mode: agent and supervisor
    await(sup.setState("NotReady", "meeting"));
    await(sup.stopInteraction(c.chatId()));
    assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).chatEnded()).isTrue();
  }

  @Test
  void the_status_and_the_dashboard_page_show_queues_and_agents() throws Exception {
    List<JsonObject> events = new CopyOnWriteArrayList<>();
    AgentApiClient a = agent("dash", events);
    await(a.setState("NotReady", "break"));
    customer(instances.get(0), "billing");
    io.vertx.ext.web.client.WebClient http =
        io.vertx.ext.web.client.WebClient.create(nodes.vertx());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                await(http.get(ixn.port(), "127.0.0.1", "/status").send())
                        .bodyAsJsonObject()
                        .getJsonArray("queues")
                        .size()
                    == 1);
    JsonObject status =
        await(http.get(ixn.port(), "127.0.0.1", "/status").send()).bodyAsJsonObject();
    assertThat(status.getJsonArray("queues").getJsonObject(0).getString("queue"))
        .isEqualTo("billing");
    assertThat(status.getJsonArray("agents").getJsonObject(0).getString("reason"))
        .isEqualTo("break");
    assertThat(status.getInteger("instancesConnected")).isEqualTo(2);
    var page = await(http.get(ixn.port(), "127.0.0.1", "/").send());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("Queues and agents");
    assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    assertThat(await(http.get(ixn.port(), "127.0.0.1", "/metrics").send()).bodyAsString())
        .contains("hachat_ixn_queue_waiting{queue=\"billing\"}");
  }

  private static String chatId(JsonObject offer) {
    return offer.getJsonObject("chat").getString("chatId");
  }
}
