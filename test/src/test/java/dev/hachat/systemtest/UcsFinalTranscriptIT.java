package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.ContactHistories;
import dev.hachat.store.spi.ContactHistory;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import dev.hachat.systemtest.FailoverClients.Customer;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The final transcript in the contact history (a real PostgreSQL), with Cassandra as the
 * intermediate store and instances as OS processes: a closed chat is there once, complete and in
 * order; when PostgreSQL is down during the close and the closing instance is then killed, a
 * survivor completes the write once PostgreSQL is back.
 */
class UcsFinalTranscriptIT {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("ucs_final")
          .contactHistory()
          .instances(2)
          .processesPerTest()
          .build();

  static ContactHistory history;
  FailoverClients clients;
  WebClient http;

  @BeforeAll
  static void connectHistory() throws Exception {
    history = await(ContactHistories.postgres(cluster.vertx(), cluster.postgres().options()));
  }

  @AfterAll
  static void closeHistory() throws Exception {
    await(history.shutdown());
  }

  @BeforeEach
  void connectClients() {
    clients = new FailoverClients(cluster.vertx(), cluster.addresses());
    http = WebClient.create(cluster.vertx());
  }

  /** A chat on cs1 with an agent and {@code n} messages; returns the texts in order. */
  private List<String> chat(Customer c, AgentSeat a, int n) throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String t = (i % 2 == 0 ? "customer " : "agent ") + i;
      if (i % 2 == 0) {
        clients.customerSend(c, "m" + i, t, cluster.addresses());
      } else {
        clients.agentSend(a, "m" + i, t);
      }
      texts.add(t);
    }
    return texts;
  }

  private HttpResponse<Buffer> disconnect(Customer c, int instance) throws Exception {
    return await(
        http.post(
                cluster.instance(instance).webapiPort(),
                "127.0.0.1",
                "/v1/chats/" + c.chatId + "/disconnect")
            .sendJsonObject(new JsonObject().put("participantId", c.pid).put("secureKey", c.key)));
  }

  private JsonObject awaitHistory(String chatId) throws Exception {
    JsonObject[] found = {null};
    FailoverClients.awaitCondition(
        "the final transcript of " + chatId + " is in UCS",
        60,
        () -> (found[0] = await(history.read(chatId))) != null);
    return found[0];
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

  @Test
  void a_closed_chat_is_in_the_contact_history_once_complete_and_in_order() throws Exception {
    Customer c = clients.requestChat(0, "Ann");
    AgentSeat a = clients.accept(c.chatId);
    List<String> texts = chat(c, a, 10);
    assertThat(disconnect(c, 0).statusCode()).isEqualTo(200);

    JsonObject h = awaitHistory(c.chatId);
    assertThat(messages(h)).containsExactlyElementsOf(texts);
    assertThat(h.getString("closeReason")).isEqualTo("CUSTOMER_LEFT");
    assertThat(h.getString("writtenBy")).isEqualTo("cs1");
    assertThat(h.getJsonArray("participants").size()).isEqualTo(2);
    assertStatisticsOfOneAgentChat(h);

    // Closing again changes nothing; the admin endpoint of any instance shows the record.
    assertThat(disconnect(c, 0).statusCode()).isBetween(400, 499);
    JsonObject viaAdmin =
        await(http.get(cluster.instance(1).adminPort(), "127.0.0.1", "/history/" + c.chatId).send())
            .bodyAsJsonObject();
    assertThat(messages(viaAdmin)).containsExactlyElementsOf(texts);
    long written =
        InstanceGroup.kpi(http, cluster.instance(0)).getLong("final_transcripts_written")
            + InstanceGroup.kpi(http, cluster.instance(1)).getLong("final_transcripts_written");
    assertThat(written).as("final writes across the instances").isEqualTo(1);
  }

  @Test
  void a_survivor_completes_the_final_write_when_the_closing_instance_dies() throws Exception {
    Customer c = clients.requestChat(0, "Ann");
    AgentSeat a = clients.accept(c.chatId);
    List<String> texts = chat(c, a, 6);
    Customer other = clients.requestChat(1, "Bea");

    cluster.postgres().stop();
    try {
      assertThat(disconnect(c, 0).statusCode()).as("the close itself succeeds").isEqualTo(200);
      FailoverClients.awaitCondition(
          "cs1 keeps retrying the final write",
          30,
          () ->
              InstanceGroup.kpi(http, cluster.instance(0)).getLong("final_transcript_failures")
                  > 0);
      // Chats go on without PostgreSQL: their transcripts are in Cassandra.
      assertThat(clients.customerSend(other, "x", "still chatting", cluster.addresses()))
          .isPositive();
      cluster.instance(0).kill();
    } finally {
      cluster.postgres().startAgain();
    }

    JsonObject h = awaitHistory(c.chatId);
    assertThat(h.getString("writtenBy")).as("finished by the survivor").isEqualTo("cs2");
    assertThat(messages(h)).containsExactlyElementsOf(texts);
    assertStatisticsOfOneAgentChat(h);
    assertThat(InstanceGroup.kpi(http, cluster.instance(1)).getLong("final_transcripts_written"))
        .isEqualTo(1);
  }

  /**
   * A chat of one customer who left and one agent ({@link Secured#AGENT}) who was still there: the
   * statistics and leave reasons the writing instance computed (exact values on a hand clock:
   * transcript-store's ChatStatisticsTest and PgChatStatisticsTest).
   */
  private static void assertStatisticsOfOneAgentChat(JsonObject h) {
    JsonObject stats = h.getJsonObject("statistics");
    assertThat(stats.getInteger("agents")).isEqualTo(1);
    assertThat(stats.getInteger("transfers")).isZero();
    assertThat(stats.getInteger("restores")).isZero();
    assertThat(stats.getInteger("offers")).isZero();
    assertThat(stats.getInteger("rejects")).isZero();
    assertThat(stats.getLong("queueWaitMillis")).isNotNegative();
    assertThat(stats.getLong("timeToAnswerMillis")).isNotNegative();
    JsonArray parts = h.getJsonArray("participants");
    JsonObject customer = parts.getJsonObject(0);
    JsonObject agent = parts.getJsonObject(1);
    assertThat(customer.getString("type")).isEqualTo("Client");
    assertThat(customer.getString("leaveReason")).isEqualTo("CUSTOMER_LEFT");
    assertThat(customer.containsKey("handleMillis")).isFalse();
    assertThat(agent.getString("agentId")).isEqualTo(Secured.AGENT);
    assertThat(agent.getString("leaveReason"))
        .as("still there at the close")
        .isEqualTo("CUSTOMER_LEFT");
    assertThat(agent.getLong("handleMillis")).isNotNegative();
    JsonArray entries = h.getJsonArray("entries");
    JsonObject last = entries.getJsonObject(entries.size() - 1);
    assertThat(last.getString("type")).isEqualTo("ParticipantLeft");
    assertThat(last.getString("text")).isEqualTo("CUSTOMER_LEFT");
  }
}
