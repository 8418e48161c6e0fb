package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.TranscriptStore;
import dev.hachat.systemtest.FailoverClients.Customer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A room outlives the Cassandra TTL (docs/rooms.md): with the shortest Cassandra TTL (60 s) a
 * chat's records expire, but a room's history lives in PostgreSQL; after the expiry and a kill -9
 * of its host, a new instance restores the room and reads its whole history from PostgreSQL.
 */
class RoomTtlIT {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("rooms_ttl")
          .contactHistory()
          .instances(1)
          .instanceProperty("hachat.store.cassandra.ttl", "60s") // the shortest allowed
          .instanceProperty("hachat.rooms.restore-interval", "500ms")
          .build();

  @Test
  void a_room_keeps_its_history_past_the_cassandra_ttl_and_past_its_host() throws Exception {
    InstanceProcess first = cluster.instance(0);
    List<String> alive = new CopyOnWriteArrayList<>(List.of("127.0.0.1:" + first.espPort()));
    FailoverClients chats = new FailoverClients(cluster.vertx(), cluster.addresses());
    Customer c = chats.requestChat(0, "Ann");
    chats.customerSend(c, "c1", "a chat message", cluster.addresses());

    try (RoomMembers members = new RoomMembers(cluster.vertx(), () -> List.copyOf(alive))) {
      RoomMembers.Member owner = members.member("m0");
      String room =
          owner
              .call(null, "roomCreate", new JsonObject().put("name", "long-lived"))
              .getJsonObject("room")
              .getString("roomId");
      RoomMembers.Member other = members.member("m1");
      other.enter(room);
      List<String> posted = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        RoomMembers.Member who = i % 2 == 0 ? owner : other;
        who.post(room, "p" + i, "message " + i);
        posted.add("message " + i);
      }

      // The chat's intermediate records expire from Cassandra.
      TranscriptStore cassandra =
          await(
                  TranscriptStores.cassandra(
                      cluster.vertx(), cluster.cassandra().storeOptions().setKeyspace("rooms_ttl")),
                  Duration.ofSeconds(30))
              .store();
      try {
        Awaitility.await()
            .atMost(Duration.ofSeconds(150))
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> expired(cassandra, c.chatId));
      } finally {
        await(cassandra.shutdown());
      }

      // Its host dies; a new instance restores the room from PostgreSQL.
      first.kill();
      InstanceProcess second =
          InstanceProcess.start("cs2", cluster.instanceProperties(), List.of("-Xmx256m"));
      cluster.adopt(second.pid());
      alive.clear();
      alive.add("127.0.0.1:" + second.espPort());
      JsonArray entries =
          other
              .call(room, "roomHistory", new JsonObject().put("roomId", room).put("after", 0))
              .getJsonArray("entries");
      List<String> texts =
          entries.stream()
              .map(o -> (JsonObject) o)
              .filter(e -> "Message".equals(e.getString("type")))
              .map(e -> e.getString("text"))
              .toList();
      assertThat(texts).containsExactlyElementsOf(posted);
      assertThat(cluster.kpi(second).getLong("rooms_restored")).isEqualTo(1);
      JsonObject more = owner.post(room, "after", "still here");
      assertThat(more.getLong("index"))
          .isEqualTo(entries.size() + 1L); // the move notice is in entries
    }
  }

  private static boolean expired(TranscriptStore store, String chatId) {
    try {
      await(store.load(chatId));
      return false;
    } catch (StoreException e) {
      return e.kind() == StoreErrorKind.NOT_FOUND;
    } catch (Exception e) {
      return false;
    }
  }
}
