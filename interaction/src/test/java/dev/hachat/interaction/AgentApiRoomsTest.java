package dev.hachat.interaction;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hachat.interaction.client.AgentApiClient;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.server.ChatServer;
import dev.hachat.server.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms over the interaction server's agent API (docs/rooms.md): two instances sharing one room
 * store and an interaction server in this process; agents create, join, enter and post through
 * their relays, and follow a room to the other instance when its host stops.
 */
class AgentApiRoomsTest {
  private final TestNodes nodes = TestNodes.inMemory();
  private final List<ChatServer> instances = new CopyOnWriteArrayList<>();
  private final List<AgentApiClient> clients = new CopyOnWriteArrayList<>();
  private InteractionServer ixn;

  @BeforeEach
  void start() throws Exception {
    Map<String, String> fast = Map.of("hachat.ha.heartbeat-interval", "100");
    instances.add(await(nodes.startServer("cs1", fast)));
    instances.add(await(nodes.startServer("cs2", fast)));
    InteractionOptions o = new InteractionOptions().setId("ixn-rooms").setRegistryPollInterval(50);
    o.getHttp().setPort(0);
    ixn = await(InteractionServer.start(nodes.vertx(), o, nodes.registry(), null));
  }

  @AfterEach
  void stop() throws Exception {
    clients.forEach(AgentApiClient::disconnect);
    await(ixn.stop());
    nodes.close();
  }

  private AgentApiClient agent(String id, List<JsonObject> events) throws Exception {
    AgentApiClient c = await(AgentApiClient.connect(nodes.vertx(), "127.0.0.1", ixn.port(), ""));
    clients.add(c);
    c.onEvent(events::add);
    await(c.login(id, id.toUpperCase(), null, null));
    return c;
  }

  private static List<String> texts(List<JsonObject> events) {
    return events.stream()
        .filter(e -> "roomEntry".equals(e.getString("event")))
        .map(e -> e.getJsonObject("entry").getString("text"))
        .toList();
  }

  @Test
  void agents_talk_in_a_room_through_the_agent_api_and_follow_it_when_its_host_stops()
      throws Exception {
    List<JsonObject> bobHears = new CopyOnWriteArrayList<>();
    List<JsonObject> eveHears = new CopyOnWriteArrayList<>();
    AgentApiClient bob = agent("bob", bobHears);
    AgentApiClient eve = agent("eve", eveHears);
    String id =
        await(bob.request("roomCreate", new JsonObject().put("name", "tier 2")))
            .getJsonObject("room")
            .getString("roomId");
    await(eve.request("roomJoin", new JsonObject().put("roomId", id)));
    await(eve.request("roomEnter", new JsonObject().put("roomId", id)));
    await(
        bob.request(
            "roomPost",
            new JsonObject().put("roomId", id).put("clientMessageId", "b1").put("text", "hello")));
    await().atMost(Duration.ofSeconds(5)).until(() -> texts(eveHears).contains("hello"));

    // The host stops cleanly: the room is handed over, eve's relay follows it.
    String host = await(nodes.rooms().roomsPerHost()).keySet().iterator().next();
    ChatServer hosting =
        instances.stream().filter(s -> s.instanceId().equals(host)).findFirst().get();
    await(hosting.stopGracefully(), Duration.ofSeconds(30));
    assertThat(await(nodes.rooms().roomsPerHost())).doesNotContainKey(host);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> eveHears.stream().anyMatch(e -> "roomMoved".equals(e.getString("event"))));
    JsonObject again =
        await(
            bob.request(
                "roomPost",
                new JsonObject()
                    .put("roomId", id)
                    .put("clientMessageId", "b2")
                    .put("text", "still here")),
            Duration.ofSeconds(30));
    assertThat(again.getJsonObject("entry").getString("text")).isEqualTo("still here");
    await().atMost(Duration.ofSeconds(10)).until(() -> texts(eveHears).contains("still here"));
    assertThat(texts(eveHears).stream().filter("hello"::equals).count()).isEqualTo(1);
    assertThat(texts(eveHears).stream().filter("still here"::equals).count()).isEqualTo(1);
  }
}
