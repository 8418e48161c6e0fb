package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of the routing interaction server (issue 15): Cassandra, two instances, a web API server
 * and two interaction servers sharing the routing lease (heartbeat 500 ms, timeout 3 s, the
 * defaults). Six agents of capacity 3, three logged in at each server, each an {@link AgentSession}
 * over both servers (its own first); eight customers are answered, then the router is killed with
 * SIGKILL and eight more customers ask at once, while no server routes. Proves: the survivor routes
 * within {@code heartbeat-timeout} + 1 s of the kill; every chat, the queued ones too, is accepted
 * exactly once (one accept reply, one agent joined in the customer's transcript); the agents of the
 * killed server log in at the survivor and keep their chats (a message of the customer after the
 * kill reaches them, and theirs reaches the customer). Prints a {@code TAKEOVER RESULT} line.
 */
@Tag("system")
class InteractionTakeoverIT {
  static final int AGENTS = 6;
  static final int BEFORE = 8;
  static final int AFTER = 8;
  static final long HEARTBEAT_TIMEOUT_MS = 3_000;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("interaction_takeover")
          .instances(2)
          .webApiServers(1)
          .interactionServers(2)
          .interactionProperty("ixn.routing.default-capacity", "3")
          .interactionProperty("ixn.election.heartbeat-interval", "500ms")
          .interactionProperty("ixn.election.heartbeat-timeout", HEARTBEAT_TIMEOUT_MS + "ms")
          .build();

  @Test
  void the_survivor_routes_within_the_timeout_and_no_chat_is_lost_or_taken_twice()
      throws Exception {
    Awaitility.await("one interaction server routes")
        .atMost(Duration.ofSeconds(20))
        .until(() -> InteractionRouters.of(cluster).size() == 1);
    int router = InteractionRouters.of(cluster).get(0);
    int survivor = 1 - router;
    String[] at = {
      "127.0.0.1:" + cluster.interaction(0).port(), "127.0.0.1:" + cluster.interaction(1).port()
    };
    List<FollowingAgent> agents = new ArrayList<>();
    for (int i = 0; i < AGENTS; i++) {
      int home = i % 2;
      FollowingAgent a = new FollowingAgent(cluster.vertx(), "agent" + i);
      agents.add(a);
      await(a.start(List.of(at[home], at[1 - home])), Duration.ofSeconds(20));
    }
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    List<GmsCustomers.Chat> chats = new ArrayList<>();
    for (int i = 0; i < BEFORE; i++) {
      chats.add(customers.requestChat(cluster.webApi(0).port(), "Early" + i));
    }
    Awaitility.await("the first chats accepted")
        .atMost(Duration.ofSeconds(30))
        .until(() -> acceptedCount(agents) == BEFORE);
    Map<String, FollowingAgent> agentOf = agentOf(agents);
    List<FollowingAgent> orphaned =
        agents.stream().filter(a -> at[router].equals(a.session().endpoint())).toList();

    cluster.interaction(router).kill();
    long killedAt = System.nanoTime();
    for (int i = 0; i < AFTER; i++) {
      chats.add(customers.requestChat(cluster.webApi(0).port(), "Late" + i));
    }
    Awaitility.await("the survivor routes")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> InteractionRouters.routes(cluster, survivor));
    long takeoverMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
    Awaitility.await("every chat accepted, the queued ones too")
        .atMost(Duration.ofSeconds(60))
        .until(() -> acceptedCount(agents) == BEFORE + AFTER);
    long firstOfferMs =
        agents.stream()
            .flatMap(a -> a.offersAt().stream())
            .filter(t -> t > killedAt)
            .mapToLong(t -> TimeUnit.NANOSECONDS.toMillis(t - killedAt))
            .min()
            .orElse(-1);

    // The agents of the killed server are at the survivor and still in their chats.
    Awaitility.await("the killed server's agents logged in at the survivor")
        .atMost(Duration.ofSeconds(20))
        .until(() -> orphaned.stream().allMatch(a -> at[survivor].equals(a.session().endpoint())));
    for (GmsCustomers.Chat c : chats.subList(0, BEFORE)) {
      FollowingAgent a = agentOf.get(c.chatId);
      String text = "after the take-over in " + c.chatId;
      customers.send(c, "m-" + c.chatId, text);
      Awaitility.await(a.id() + " hears the customer in " + c.chatId)
          .atMost(Duration.ofSeconds(10))
          .until(() -> a.customerTexts(c.chatId).contains(text));
      assertThat(a.customerTexts(c.chatId)).as("each customer message once").containsOnlyOnce(text);
      await(a.session().send(c.chatId, "r-" + c.chatId, "answer in " + c.chatId));
    }

    Map<String, Integer> accepts = new HashMap<>();
    agents.forEach(a -> a.accepted().keySet().forEach(id -> accepts.merge(id, 1, Integer::sum)));
    for (GmsCustomers.Chat c : chats) {
      assertThat(accepts.get(c.chatId)).as("accept replies for " + c.chatId).isEqualTo(1);
      JsonArray t = customers.transcript(c);
      long joined =
          t.stream()
              .map(JsonObject.class::cast)
              .filter(
                  m ->
                      "ParticipantJoined".equals(m.getString("type"))
                          && "Agent"
                              .equals(m.getJsonObject("from", new JsonObject()).getString("type")))
              .count();
      assertThat(joined).as("agents joined in " + c.chatId).isEqualTo(1);
    }
    for (GmsCustomers.Chat c : chats.subList(0, BEFORE)) {
      assertThat(
              customers.transcript(c).stream()
                  .map(JsonObject.class::cast)
                  .filter(m -> ("answer in " + c.chatId).equals(m.getString("text")))
                  .count())
          .as("the agent's answer after the take-over, once, in " + c.chatId)
          .isEqualTo(1);
    }
    assertThat(orphaned).as("agents of the killed server").isNotEmpty();
    orphaned.forEach(a -> assertThat(a.session().reconnects()).isGreaterThanOrEqualTo(1));
    assertThat(customers.failures.get()).as("failed customer requests").isZero();
    System.out.printf(
        "TAKEOVER RESULT chats=%d queued_during=%d agents_moved=%d takeover_ms=%d"
            + " first_offer_after_kill_ms=%d lost=0 accepted_twice=0 limit_ms=%d%n",
        chats.size(),
        AFTER,
        orphaned.size(),
        takeoverMs,
        firstOfferMs,
        HEARTBEAT_TIMEOUT_MS + 1000);
    assertThat(takeoverMs).as("take-over time").isLessThanOrEqualTo(HEARTBEAT_TIMEOUT_MS + 1000);
    await(Future.join(agents.stream().map(FollowingAgent::stop).toList()));
  }

  private static int acceptedCount(List<FollowingAgent> agents) {
    return agents.stream().mapToInt(a -> a.accepted().size()).sum();
  }

  private static Map<String, FollowingAgent> agentOf(List<FollowingAgent> agents) {
    Map<String, FollowingAgent> m = new HashMap<>();
    agents.forEach(a -> a.accepted().keySet().forEach(id -> m.put(id, a)));
    return m;
  }
}
