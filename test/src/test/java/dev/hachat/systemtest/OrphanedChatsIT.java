package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.ContactHistories;
import dev.hachat.store.spi.ContactHistory;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import dev.hachat.systemtest.FailoverClients.Customer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Orphaned chats reach the contact history: three instances as OS processes over a real Cassandra
 * and PostgreSQL; 20 open chats on cs1 with customers and an agent who then go away for good; cs1
 * is killed with {@code kill -9}; the heirs close every chat {@code OWNER_LOST} after {@code
 * ha.orphan-close-after} and write its final transcript, with every acknowledged message.
 */
class OrphanedChatsIT {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanedChatsIT.class);
  private static final int CHATS = 20;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("orphans")
          .contactHistory()
          .instances(3)
          .instanceProperty("hachat.ha.orphan-sweep-interval", "1000")
          .instanceProperty("hachat.ha.orphan-close-after", "3000")
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

  @Test
  void every_open_chat_of_a_killed_owner_whose_parties_never_return_reaches_ucs() throws Exception {
    InstanceGroup group = cluster.group();
    Vertx vertx = cluster.vertx();
    {
      FailoverClients clients = new FailoverClients(vertx, group.addresses());
      WebClient http = WebClient.create(vertx);
      List<String> chatIds = new ArrayList<>();
      Map<String, List<String>> acknowledged = new LinkedHashMap<>();
      for (int i = 0; i < CHATS; i++) {
        Customer c = clients.requestChat(0, "Cust" + i);
        AgentSeat a = clients.accept(c.chatId);
        List<String> texts = new ArrayList<>();
        String q = "question " + i;
        clients.customerSend(c, "c" + i, q, group.addresses());
        texts.add(q);
        String r = "answer " + i;
        clients.agentSend(a, "a" + i, r);
        texts.add(r);
        chatIds.add(c.chatId);
        acknowledged.put(c.chatId, texts);
      }
      assertThat(InstanceGroup.kpi(http, group.get(0)).getLong("sessions_active")).isEqualTo(CHATS);
      clients.agentLeavesForGood(); // and the customers send nothing more

      long killedAt = System.nanoTime();
      group.get(0).kill();
      for (String id : chatIds) {
        FailoverClients.awaitCondition(
            "the final transcript of " + id + " is in UCS",
            90,
            () -> await(history.read(id)) != null);
      }
      long seconds = (System.nanoTime() - killedAt) / 1_000_000_000L;
      LOG.info("all {} orphaned chats in UCS {} s after the kill", CHATS, seconds);

      for (String id : chatIds) {
        JsonObject h = await(history.read(id));
        assertThat(h.getString("closeReason")).as(id).isEqualTo("OWNER_LOST");
        assertThat(h.getString("writtenBy")).as(id).isIn("cs2", "cs3");
        assertThat(messages(h)).as(id).containsExactlyElementsOf(acknowledged.get(id));
      }
      long closed =
          InstanceGroup.kpi(http, group.get(1)).getLong("sessions_orphan_closed")
              + InstanceGroup.kpi(http, group.get(2)).getLong("sessions_orphan_closed");
      assertThat(closed).as("each orphan adopted once").isEqualTo(CHATS);
      long failures =
          InstanceGroup.kpi(http, group.get(1)).getLong("orphan_sweep_failures")
              + InstanceGroup.kpi(http, group.get(2)).getLong("orphan_sweep_failures");
      LOG.info("orphans closed: {}, sweep failures: {}", closed, failures);
    }
  }

  private static List<String> messages(JsonObject h) {
    List<String> out = new ArrayList<>();
    JsonArray entries = h.getJsonArray("entries");
    for (int i = 0; i < entries.size(); i++) {
      JsonObject e = entries.getJsonObject(i);
      assertThat(e.getLong("index")).as("indexes in order, gap-free").isEqualTo(i + 1);
      if ("Message".equals(e.getString("type"))) {
        out.add(e.getString("text"));
      }
    }
    return out;
  }
}
