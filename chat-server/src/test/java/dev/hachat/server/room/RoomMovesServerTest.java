package dev.hachat.server.room;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.server.ChatServer;
import dev.hachat.server.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Rooms moving between whole in-process instances over one room store, with their real admin and
 * ESP ports: the graceful stop hands every room over, and automatic rebalancing fills an idle
 * instance.
 */
class RoomMovesServerTest {
  private final TestNodes nodes = TestNodes.inMemory();

  @AfterEach
  void close() throws Exception {
    nodes.close();
  }

  private EspClient agent(ChatServer s, String id) throws Exception {
    return await(nodes.espAgent(s, id));
  }

  private List<String> rooms(EspClient owner, int n) throws Exception {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ids.add(
          await(
                  owner.request(
                      "roomCreate", new JsonObject().put("name", "r" + i).put("here", true)))
              .getJsonObject("room")
              .getString("roomId"));
    }
    return ids;
  }

  @Test
  void a_graceful_stop_hands_every_room_over_and_its_members_follow() throws Exception {
    ChatServer a = await(nodes.startServer("cs-a", Map.of()));
    ChatServer b = await(nodes.startServer("cs-b", Map.of()));
    EspClient alice = agent(a, "alice");
    List<JsonObject> moved = new CopyOnWriteArrayList<>();
    alice.onRoomEvent(
        f -> {
          if ("roomMoved".equals(f.getString("event"))) {
            moved.add(f);
          }
        });
    List<String> ids = rooms(alice, 3);
    for (String id : ids) {
      await(alice.request("roomEnter", new JsonObject().put("roomId", id)));
      await(
          alice.request(
              "roomPost",
              new JsonObject()
                  .put("roomId", id)
                  .put("clientMessageId", "c1")
                  .put("text", "before")));
    }
    // a must see b alive before it hands over (its view is polled every heartbeat interval).
    Awaitility.await().until(() -> placement(a).containsKey("cs-b"));

    await(a.stopGracefully(), Duration.ofSeconds(30));

    Awaitility.await().until(() -> moved.size() == 3);
    assertThat(moved).allSatisfy(f -> assertThat(f.getString("esp")).endsWith(":" + b.espPort()));
    assertThat(await(nodes.rooms().roomsPerHost())).containsOnlyKeys("cs-b");
    EspClient onB = agent(b, "alice");
    for (String id : ids) {
      JsonObject again =
          await(
              onB.request(
                  "roomPost",
                  new JsonObject()
                      .put("roomId", id)
                      .put("clientMessageId", "c1")
                      .put("text", "before")));
      assertThat(again.getJsonObject("entry").getLong("index")).isEqualTo(1); // no duplicate
      JsonObject after =
          await(
              onB.request(
                  "roomPost",
                  new JsonObject()
                      .put("roomId", id)
                      .put("clientMessageId", "c2")
                      .put("text", "after")));
      assertThat(after.getJsonObject("entry").getLong("index")).isEqualTo(3); // after the notice
    }
  }

  /** {@code GET /rooms} on an instance's admin port: rooms per living instance as it sees them. */
  private JsonObject placement(ChatServer s) throws Exception {
    return await(
            nodes
                .vertx()
                .createHttpClient()
                .request(io.vertx.core.http.HttpMethod.GET, s.adminPort(), "127.0.0.1", "/rooms")
                .compose(r -> r.send().compose(x -> x.body())))
        .toJsonObject()
        .getJsonObject("rooms");
  }

  @Test
  void automatic_rebalancing_moves_rooms_to_an_idle_instance_one_at_a_time() throws Exception {
    ChatServer a = await(nodes.startServer("cs-a", Map.of()));
    rooms(agent(a, "alice"), 4);
    assertThat(await(nodes.rooms().roomsPerHost())).containsEntry("cs-a", 4);
    await(
        nodes.startServer(
            "cs-b",
            Map.of(
                "hachat.rooms.rebalance.auto",
                "true",
                "hachat.rooms.rebalance.interval",
                "200ms")));
    Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> await(nodes.rooms().roomsPerHost()).getOrDefault("cs-b", 0) == 2);
    assertThat(await(nodes.rooms().roomsPerHost())).containsEntry("cs-a", 2);
  }
}
