package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.interaction.client.AgentApiClient;
import dev.hachat.store.ContactHistories;
import dev.hachat.store.spi.ContactHistory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Transfer (to a queue, to an agent), conference and consult over the agent API (issue 16), all
 * real processes: Cassandra, two instances, a web API server and an interaction server; the
 * customer on GMS REST. The customer sees one continuous chat; a new agent gets the whole
 * transcript; consult lines and a consulted agent's join never reach the customer; a conference and
 * a consult survive kill -9 of the chat's owner (every agent gets the customer's next message from
 * the survivor, and a consult line after the restore is still hidden).
 */
@Tag("system")
class TransferConferenceIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("transfer_conference")
          .contactHistory()
          .instances(2)
          .webApiServers(1)
          .interactionServers(1)
          .build();

  static ContactHistory history;

  @BeforeAll
  static void connectHistory() throws Exception {
    history = await(ContactHistories.postgres(cluster.vertx(), cluster.postgres().options()));
  }

  @AfterAll
  static void closeHistory() throws Exception {
    await(history.shutdown());
  }

  /** The chat's final transcript in UCS (PostgreSQL), once its instance wrote it. */
  private static JsonObject finalTranscript(String chatId) {
    JsonObject[] found = {null};
    Awaitility.await("the final transcript of " + chatId + " in UCS")
        .atMost(Duration.ofSeconds(60))
        .until(() -> (found[0] = await(history.read(chatId))) != null);
    return found[0];
  }

  /** The texts of the messages of a final transcript, with their visibility. */
  private static List<String> finalLines(JsonObject h) {
    List<String> out = new ArrayList<>();
    for (Object o : h.getJsonArray("entries")) {
      JsonObject e = (JsonObject) o;
      if ("Message".equals(e.getString("type"))) {
        out.add(("Int".equals(e.getString("visibility")) ? "[agents] " : "") + e.getString("text"));
      }
    }
    return out;
  }

  /** An agent desktop: every event it got, in order. */
  private static final class Desktop {
    final String id;
    final List<JsonObject> events = new CopyOnWriteArrayList<>();
    AgentApiClient api;

    Desktop(String id) {
      this.id = id;
    }

    Desktop login(Vertx vertx) throws Exception {
      api =
          await(
              AgentApiClient.connect(vertx, "127.0.0.1", cluster.interaction(0).port(), "")
                  .compose(c -> c.onEvent(events::add).login(id, id, null, null).map(me -> c)),
              WAIT);
      return this;
    }

    Desktop ready() throws Exception {
      await(api.setState("Ready", ""), WAIT);
      return this;
    }

    JsonObject next(String event, String chatId) {
      return Awaitility.await(id + " gets " + event + " of " + chatId)
          .atMost(WAIT)
          .until(
              () ->
                  events.stream()
                      .filter(e -> event.equals(e.getString("event")))
                      .filter(e -> chatId.equals(chatOf(e)))
                      .reduce((a, b) -> b)
                      .orElse(null),
              e -> e != null);
    }

    List<String> texts(String chatId) {
      List<String> out = new ArrayList<>();
      for (JsonObject e : events) {
        if ("entry".equals(e.getString("event")) && chatId.equals(e.getString("chatId"))) {
          JsonObject entry = e.getJsonObject("entry");
          if ("Message".equals(entry.getString("type"))) {
            out.add(entry.getString("text"));
          }
        }
      }
      return out;
    }

    long offers(String chatId) {
      return events.stream()
          .filter(e -> "offer".equals(e.getString("event")) && chatId.equals(chatOf(e)))
          .count();
    }

    JsonObject acceptOffer(String chatId) throws Exception {
      JsonObject offer = next("offer", chatId);
      return await(api.accept(offer.getString("offerId")), WAIT);
    }

    private static String chatOf(JsonObject e) {
      JsonObject chat = e.getJsonObject("chat");
      return chat != null ? chat.getString("chatId") : e.getString("chatId");
    }
  }

  private static List<String> customerTexts(GmsCustomers customers, GmsCustomers.Chat c)
      throws Exception {
    List<String> out = new ArrayList<>();
    JsonArray all = customers.transcript(c);
    for (int i = 0; i < all.size(); i++) {
      JsonObject m = all.getJsonObject(i);
      if ("Message".equals(m.getString("type"))) {
        out.add(m.getString("text"));
      }
    }
    return out;
  }

  private static List<String> texts(JsonArray entries) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      if ("Message".equals(e.getString("type"))) {
        out.add(e.getString("text"));
      }
    }
    return out;
  }

  @Test
  void a_chat_moves_to_a_queue_then_to_a_named_agent_and_the_customer_sees_one_chat()
      throws Exception {
    Vertx vertx = cluster.vertx();
    GmsCustomers customers = new GmsCustomers(vertx);
    Desktop ann = new Desktop("t-ann").login(vertx).ready();
    Desktop bob = new Desktop("t-bob").login(vertx);
    Desktop dan = new Desktop("t-dan").login(vertx);
    try {
      transferTwice(customers, ann, bob, dan);
    } finally {
      for (Desktop d : List.of(ann, bob, dan)) {
        d.api.disconnect();
      }
    }
  }

  private static void transferTwice(GmsCustomers customers, Desktop ann, Desktop bob, Desktop dan)
      throws Exception {
    GmsCustomers.Chat c = customers.requestChat(cluster.webApi(0).port(), "Carol");
    String chat = c.chatId;
    ann.acceptOffer(chat);
    customers.send(c, "c1", "my card was charged twice");
    await(ann.api.send(chat, "a1", "let me move you to billing"), WAIT);

    // ann stays Ready: the chat she transferred out goes to the others first.
    bob.ready();
    await(ann.api.transferToQueue(chat, "billing"), WAIT);
    JsonObject offer = bob.next("offer", chat);
    assertThat(offer.getJsonObject("chat").getString("queue")).isEqualTo("billing");
    assertThat(offer.getJsonObject("chat").getJsonObject("userData").getString("hachat.offers"))
        .as("offers counted over both times it waited (written to the chat at the first accept)")
        .isEqualTo("2");
    JsonObject accepted = await(bob.api.accept(offer.getString("offerId")), WAIT);
    assertThat(texts(accepted.getJsonArray("entries")))
        .as("the new agent gets the whole transcript")
        .containsExactly("my card was charged twice", "let me move you to billing");
    assertThat(accepted.getString("queue")).isEqualTo("billing");
    await(bob.api.send(chat, "b1", "billing here, I see two charges"), WAIT);

    // To a named agent: offered to dan first, though ann is Ready too and idle longer.
    dan.ready();
    await(bob.api.transferToAgent(chat, "t-dan"), WAIT);
    JsonObject toDan = dan.next("offer", chat);
    assertThat(toDan.getJsonObject("chat").getJsonObject("userData").getString("hachat.offers"))
        .isEqualTo("3");
    await(dan.api.accept(toDan.getString("offerId")), WAIT);
    assertThat(ann.offers(chat)).as("ann was offered the chat only at the start").isEqualTo(1);
    customers.send(c, "c2", "thanks");
    Awaitility.await("the customer's next message reaches dan")
        .atMost(WAIT)
        .until(() -> dan.texts(chat).contains("thanks"));
    await(dan.api.send(chat, "d1", "refunded"), WAIT);

    assertThat(customerTexts(customers, c))
        .as("the customer's one continuous chat")
        .containsExactly(
            "my card was charged twice",
            "let me move you to billing",
            "billing here, I see two charges",
            "thanks",
            "refunded");
    await(dan.api.close(chat, "refund-issued"), WAIT);

    // The final transcript in UCS: every line once, and the statistics of two transfers.
    JsonObject h = finalTranscript(chat);
    assertThat(finalLines(h))
        .containsExactly(
            "my card was charged twice",
            "let me move you to billing",
            "billing here, I see two charges",
            "thanks",
            "refunded");
    JsonObject stats = h.getJsonObject("statistics");
    assertThat(stats.getInteger("transfers")).isEqualTo(2);
    assertThat(stats.getInteger("agents")).isEqualTo(3);
    assertThat(stats.getInteger("offers")).isEqualTo(3);
    assertThat(stats.getInteger("rejects")).isZero();
    assertThat(h.getString("closeReason")).isEqualTo("AGENT_CLOSED");
    assertThat(h.getJsonArray("participants").stream().map(JsonObject.class::cast))
        .filteredOn(p -> "Agent".equals(p.getString("type")))
        .extracting(p -> p.getString("agentId") + ":" + p.getString("leaveReason"))
        .containsExactly("t-ann:TRANSFERRED_OUT", "t-bob:TRANSFERRED_OUT", "t-dan:AGENT_CLOSED");
  }

  @Test
  void a_conference_and_a_consult_go_on_after_kill_9_of_the_owner_and_stay_hidden()
      throws Exception {
    Vertx vertx = cluster.vertx();
    GmsCustomers customers = new GmsCustomers(vertx);
    Desktop eve = new Desktop("c-eve").login(vertx).ready();
    Desktop gus = new Desktop("c-gus").login(vertx);
    Desktop hal = new Desktop("c-hal").login(vertx);
    Desktop sue = new Desktop("c-sue").login(vertx); // open mode: agent and supervisor roles
    try {
      conferenceAndConsult(customers, eve, gus, hal, sue);
    } finally {
      for (Desktop d : List.of(eve, gus, hal, sue)) {
        d.api.disconnect();
      }
    }
  }

  private static void conferenceAndConsult(
      GmsCustomers customers, Desktop eve, Desktop gus, Desktop hal, Desktop sue) throws Exception {
    GmsCustomers.Chat c = customers.requestChat(cluster.webApi(0).port(), "Frank");
    String chat = c.chatId;
    eve.acceptOffer(chat);
    customers.send(c, "c1", "my order is late");

    // Conference: gus joins beside eve; both get the customer's lines, the customer gets gus's.
    await(eve.api.invite(chat, "c-gus", "conference"), WAIT);
    JsonObject invite = gus.next("invite", chat);
    assertThat(invite.getString("mode")).isEqualTo("conference");
    JsonObject joined = await(gus.api.join(chat), WAIT);
    assertThat(texts(joined.getJsonArray("entries"))).containsExactly("my order is late");
    await(gus.api.send(chat, "g1", "I am from shipping"), WAIT);

    // Consult: hal joins unseen; his lines and eve's consult line stay among the agents.
    await(eve.api.invite(chat, "c-hal", "consult"), WAIT);
    hal.next("invite", chat);
    await(hal.api.join(chat), WAIT);
    await(eve.api.consult(chat, "e-c1", "can we refund shipping?"), WAIT);
    await(hal.api.send(chat, "h1", "yes, up to 10"), WAIT);
    Awaitility.await("the consult reaches both agents")
        .atMost(WAIT)
        .until(
            () ->
                eve.texts(chat).contains("yes, up to 10")
                    && hal.texts(chat).contains("can we refund shipping?"));

    // A supervisor finds the chat in the status (agents with their chats, the state table) and
    // watches it, read-only and unseen by the customer.
    JsonObject status = await(sue.api.status(), WAIT);
    assertThat(status.getJsonArray("agents").stream().map(JsonObject.class::cast))
        .anySatisfy(
            a -> {
              assertThat(a.getString("agentId")).isEqualTo("c-eve");
              assertThat(a.getJsonArray("chatIds").getList()).contains(chat);
              assertThat(a.getLong("stateMs")).isPositive();
            });
    assertThat(status.getJsonArray("instances").stream().map(JsonObject.class::cast))
        .filteredOn(i -> "instance".equals(i.getString("kind")))
        .hasSize(2)
        .allSatisfy(i -> assertThat(i.getBoolean("connected")).isTrue());
    JsonObject watching = await(sue.api.monitor(chat), WAIT);
    assertThat(texts(watching.getJsonArray("entries"))).contains("can we refund shipping?");

    InstanceProcess owner = cluster.mostLoaded();
    owner.kill();
    customers.send(c, "c2", "any news?");
    Awaitility.await("every agent and the supervisor get the customer's next message")
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                List.of(eve, gus, hal, sue).stream()
                    .allMatch(d -> d.texts(chat).contains("any news?")));
    await(sue.api.bargeIn(chat), WAIT);
    await(sue.api.send(chat, "s1", "a supervisor here, all is in order"), WAIT);
    await(hal.api.send(chat, "h2", "after the restore, still between us"), WAIT);
    await(eve.api.send(chat, "e1", "we refund your shipping"), WAIT);
    Awaitility.await()
        .atMost(WAIT)
        .until(() -> gus.texts(chat).contains("after the restore, still between us"));

    assertThat(customerTexts(customers, c))
        .as("the customer sees the conference, not the consult")
        .containsExactly(
            "my order is late",
            "I am from shipping",
            "any news?",
            "a supervisor here, all is in order",
            "we refund your shipping");
    JsonArray seen = customers.transcript(c);
    for (int i = 0; i < seen.size(); i++) {
      assertThat(seen.getJsonObject(i).encode())
          .doesNotContain("c-hal")
          .doesNotContain("Supervisor")
          .doesNotContain("hachat.");
    }
    // The consultant takes the chat over: eve hands it to hal, whose lines are seen from now.
    await(eve.api.transferToAgent(chat, "c-hal"), WAIT);
    hal.next("transferred", chat);
    await(hal.api.send(chat, "h3", "hal here, I will finish this"), WAIT);
    Awaitility.await("the customer reads the consultant who took over")
        .atMost(WAIT)
        .until(() -> customerTexts(customers, c).contains("hal here, I will finish this"));
    await(hal.api.close(chat, "resolved"), WAIT);

    // UCS keeps the consult, marked: the lines the customer never saw are Int.
    JsonObject h = finalTranscript(chat);
    assertThat(finalLines(h))
        .containsExactly(
            "my order is late",
            "I am from shipping",
            "[agents] can we refund shipping?",
            "[agents] yes, up to 10",
            "any news?",
            "a supervisor here, all is in order",
            "[agents] after the restore, still between us",
            "we refund your shipping",
            "hal here, I will finish this");
    assertThat(h.getJsonObject("statistics").getInteger("restores")).isEqualTo(1);
  }
}
