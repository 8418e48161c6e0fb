package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.ChatStatistics;
import dev.hachat.store.ChatTimeline;
import dev.hachat.store.ContactHistories;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.StoredSession;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.spi.ContactHistory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The statistics of final transcripts in a real PostgreSQL (migration V6): written with the
 * transcript, read back with it, and reportable with the SQL of docs/ucs.md ("Reporting").
 */
class PgChatStatisticsTest {
  private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
  private static final ParticipantType CLIENT = ParticipantType.CLIENT;
  private static final ParticipantType AGENT = ParticipantType.AGENT;

  /** 2023-11-14T22:00:00Z, the start of an hour; chats are created 10, 20 and 30 minutes in. */
  private static final long HOUR = 1_699_999_200_000L;

  private Vertx vertx;
  private ContactHistory history;
  private Pool pool;

  /** This run's queue and agents, so that the shared database's other rows do not count. */
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  private final String queue = "billing-" + run;
  private final String agentX = "agent-x-" + run;
  private final String agentY = "agent-y-" + run;

  @BeforeEach
  void connect() throws Exception {
    PostgresServer server = PostgresServer.shared();
    vertx = Vertx.vertx();
    history = await(ContactHistories.postgres(vertx, server.options()), SETUP_TIMEOUT);
    pool = Pg.pool(vertx, server.options());
  }

  @AfterEach
  void close() throws Exception {
    await(pool.close());
    await(history.shutdown());
    await(vertx.close());
  }

  /** Transferred from agent X to agent Y, restored once, offered twice and rejected once. */
  private StoredSession transferredChat() {
    return new ChatTimeline("a-" + run, HOUR + 600_000)
        .data("GMSServiceName", queue)
        .data(ChatStatistics.OFFERS_KEY, "2")
        .data(ChatStatistics.REJECTS_KEY, "1")
        .joins("c", CLIENT, 0)
        .says("c", 1_000)
        .joins("x", AGENT, agentX, 60_000)
        .says("x", 70_000)
        .restored(false, 90_000)
        .leaves("x", ReasonCode.TRANSFERRED_OUT, 120_000)
        .joins("y", AGENT, agentY, 130_000)
        .says("y", 140_000)
        .leaves("c", ReasonCode.CUSTOMER_LEFT, 300_000)
        .closes(ReasonCode.CUSTOMER_LEFT, 300_000);
  }

  private StoredSession closedByAgent() {
    return new ChatTimeline("b-" + run, HOUR + 1_200_000)
        .data("GMSServiceName", queue)
        .joins("c", CLIENT, 0)
        .joins("y", AGENT, agentY, 20_000)
        .says("y", 25_000)
        .leaves("y", ReasonCode.AGENT_CLOSED, 100_000)
        .closes(ReasonCode.AGENT_CLOSED, 100_000);
  }

  private StoredSession stoppedWhileWaiting() {
    return new ChatTimeline("c-" + run, HOUR + 1_800_000)
        .data("GMSServiceName", queue)
        .joins("c", CLIENT, 0)
        .closes(ReasonCode.INTERACTION_STOPPED, 50_000);
  }

  @Test
  void a_final_transcript_lands_with_its_statistics_and_every_leave_reason() throws Exception {
    StoredSession chat = transferredChat();
    assertThat(await(history.writeFinal(chat, "cs1"))).isTrue();

    JsonObject h = await(history.read(chat.session().id()));
    assertThat(h.getJsonObject("statistics"))
        .isEqualTo(
            new JsonObject()
                .put("queueWaitMillis", 60_000L)
                .put("timeToAnswerMillis", 10_000L)
                .put("agents", 2)
                .put("transfers", 1)
                .put("restores", 1)
                .put("offers", 2)
                .put("rejects", 1));
    JsonArray parts = h.getJsonArray("participants");
    assertThat(parts).hasSize(3);
    assertThat(part(parts, 0))
        .isEqualTo(List.of("c", "Client", "-", "2023-11-14T22:15Z", "CUSTOMER_LEFT", "-"));
    assertThat(part(parts, 1))
        .isEqualTo(List.of("x", "Agent", agentX, "2023-11-14T22:12Z", "TRANSFERRED_OUT", "60000"));
    assertThat(part(parts, 2))
        .isEqualTo(List.of("y", "Agent", agentY, "2023-11-14T22:15Z", "CUSTOMER_LEFT", "170000"));
    assertThat(h.getJsonArray("entries").getJsonObject(5).getString("text"))
        .as("the ParticipantLeft entry carries the reason")
        .isEqualTo("TRANSFERRED_OUT");
    assertThat(h.getJsonArray("entries").getJsonObject(4).getString("clientMessageId"))
        .isEqualTo("restore:interrupted");
  }

  private static List<String> part(JsonArray parts, int i) {
    JsonObject p = parts.getJsonObject(i);
    return List.of(
        p.getString("participantId"),
        p.getString("type"),
        p.getString("agentId", "-"),
        p.getString("leftAt"),
        p.getString("leaveReason"),
        String.valueOf(p.getValue("handleMillis", "-")));
  }

  @Test
  void the_reports_of_ucs_md_give_the_figures_of_the_chats() throws Exception {
    for (StoredSession chat : List.of(transferredChat(), closedByAgent(), stoppedWhileWaiting())) {
      assertThat(await(history.writeFinal(chat, "cs1"))).isTrue();
    }

    // Average queue wait per queue per hour
    assertThat(
            rows(
                "SELECT coalesce(nullif(user_data->>'GMSServiceName', ''), 'default') AS queue,"
                    + " date_trunc('hour', created_at) AS hour, count(*) AS chats,"
                    + " count(queue_wait_ms) AS answered,"
                    + " round(avg(queue_wait_ms) / 1000.0, 1) AS avg_queue_wait_s"
                    + " FROM interactions WHERE user_data->>'GMSServiceName' = $1"
                    + " GROUP BY 1, 2 ORDER BY 2, 1",
                queue))
        .containsExactly(queue + "|2023-11-14T22:00Z|3|2|40.0");

    // Handle time per agent
    assertThat(
            rows(
                "SELECT agent_id, count(DISTINCT chat_id) AS chats,"
                    + " round(avg(handle_ms) / 1000.0, 1) AS avg_handle_s,"
                    + " round(sum(handle_ms) / 1000.0) AS total_handle_s,"
                    + " count(*) FILTER (WHERE leave_reason = 'TRANSFERRED_OUT') AS transfers_out"
                    + " FROM interaction_participants"
                    + " WHERE type = 'Agent' AND agent_id IN ($1, $2)"
                    + " GROUP BY agent_id ORDER BY agent_id",
                agentX,
                agentY))
        .containsExactly(agentX + "|1|60.0|60|1", agentY + "|2|125.0|250|0");

    // Share of chats by end reason
    assertThat(
            rows(
                "SELECT close_reason, count(*) AS chats,"
                    + " round(100.0 * count(*) / sum(count(*)) OVER (), 1) AS percent"
                    + " FROM interactions WHERE user_data->>'GMSServiceName' = $1"
                    + " GROUP BY close_reason ORDER BY chats DESC, close_reason",
                queue))
        .containsExactly(
            "AGENT_CLOSED|1|33.3", "CUSTOMER_LEFT|1|33.3", "INTERACTION_STOPPED|1|33.3");

    // Chats restored
    assertThat(
            rows(
                "SELECT date_trunc('day', closed_at) AS day, count(*) AS chats,"
                    + " count(*) FILTER (WHERE restores > 0) AS restored,"
                    + " sum(restores) AS restores"
                    + " FROM interactions WHERE user_data->>'GMSServiceName' = $1"
                    + " GROUP BY 1 ORDER BY 1",
                queue))
        .containsExactly("2023-11-14T00:00Z|3|1|1");
  }

  /** Each row's columns as text joined by {@code |}. */
  private List<String> rows(String sql, Object... args) throws Exception {
    List<String> out = new ArrayList<>();
    for (Row r : await(pool.preparedQuery(sql).execute(Tuple.from(args)))) {
      List<String> cols = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        cols.add(String.valueOf(r.getValue(i)));
      }
      out.add(String.join("|", cols));
    }
    return out;
  }
}
