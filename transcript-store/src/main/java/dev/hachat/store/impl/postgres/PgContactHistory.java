package dev.hachat.store.impl.postgres;

import dev.hachat.store.ChatStatistics;
import dev.hachat.store.Entry;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.StoredSession;
import dev.hachat.store.spi.ContactHistory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The contact history in PostgreSQL; see docs/ucs.md for the tables and example SQL. */
public final class PgContactHistory implements ContactHistory {
  private final Pool pool;
  private final Pg.SchemaOnUse schema;

  /** A contact history over a pool whose schema is already migrated. */
  public PgContactHistory(Pool pool) {
    this(pool, true);
  }

  private PgContactHistory(Pool pool, boolean migrated) {
    this.pool = pool;
    this.schema = new Pg.SchemaOnUse(pool, migrated);
  }

  /**
   * A contact history that migrates the schema on first use and again on every use until that
   * succeeded, so an instance can start while PostgreSQL is unreachable (its final writes are
   * retried meanwhile).
   */
  public static PgContactHistory migratingOnUse(Pool pool) {
    PgContactHistory h = new PgContactHistory(pool, false);
    h.schema.start("contact history");
    return h;
  }

  private Future<Void> migrated() {
    return schema.ready();
  }

  private static OffsetDateTime time(long millis) {
    return OffsetDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC);
  }

  @Override
  public Future<Boolean> writeFinal(StoredSession s, String writtenBy) {
    if (s.closed() == null) {
      return Future.failedFuture(new IllegalArgumentException("the chat is not closed"));
    }
    String id = s.session().id();
    return Pg.typed(migrated().compose(m -> writeOnce(s, id, writtenBy)), up -> {});
  }

  private Future<Boolean> writeOnce(StoredSession s, String id, String writtenBy) {
    ChatStatistics stats = ChatStatistics.of(s);
    return (pool.withTransaction(
        c ->
            c.preparedQuery(
                    "INSERT INTO interactions (chat_id, subject, user_data, created_at,"
                        + " closed_at, close_reason, entry_count, written_by, queue_wait_ms,"
                        + " time_to_answer_ms, agents, transfers, restores, offers, rejects)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
                        + " $15) ON CONFLICT (chat_id) DO NOTHING")
                .execute(
                    Tuple.from(
                        new Object[] {
                          id,
                          s.session().subject(),
                          new JsonObject(new LinkedHashMap<>(s.userData())),
                          time(s.session().createdAt()),
                          time(s.closed().closedAt()),
                          s.closed().reason(),
                          s.entries().size(),
                          writtenBy,
                          stats.queueWaitMillis(),
                          stats.timeToAnswerMillis(),
                          stats.agents(),
                          stats.transfers(),
                          stats.restores(),
                          stats.offers(),
                          stats.rejects()
                        }))
                .compose(
                    r -> {
                      if (r.rowCount() == 0) {
                        return Future.succeededFuture(false); // written before
                      }
                      return insertParticipants(c, id, s, stats)
                          .compose(v -> insertEntries(c, id, s))
                          .map(true);
                    })));
  }

  private static Future<Void> insertParticipants(
      SqlConnection c, String id, StoredSession s, ChatStatistics stats) {
    if (stats.participants().isEmpty()) {
      return Future.succeededFuture();
    }
    // The participants the transcript bears out (a record saved without its join is none).
    Map<String, ParticipantRecord> seated = s.participantsInTranscript();
    List<Tuple> batch = new ArrayList<>();
    for (ChatStatistics.Part part : stats.participants()) {
      ParticipantRecord p = seated.get(part.participantId());
      batch.add(
          Tuple.from(
              new Object[] {
                id,
                p.id(),
                p.type().wireName(),
                p.nickname(),
                time(p.joinedAt()),
                p.left(),
                part.agentId(),
                time(part.leftAt()),
                part.leaveReason(),
                part.handleMillis()
              }));
    }
    return c.preparedQuery(
            "INSERT INTO interaction_participants (chat_id, participant_id, type, nickname,"
                + " joined_at, has_left, agent_id, left_at, leave_reason, handle_ms)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .executeBatch(batch)
        .mapEmpty();
  }

  private static Future<Void> insertEntries(SqlConnection c, String id, StoredSession s) {
    if (s.entries().isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (Entry e : s.entries()) {
      batch.add(
          Tuple.from(
              new Object[] {
                id,
                e.index(),
                e.type().wireName(),
                e.participantId(),
                e.nickname(),
                e.participantType().wireName(),
                e.text(),
                time(e.utcTime()),
                e.clientMessageId(),
                e.visibility().wireName()
              }));
    }
    return c.preparedQuery(
            "INSERT INTO interaction_entries (chat_id, idx, type, participant_id, nickname,"
                + " participant_type, text, utc_time, client_message_id, visibility)"
                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .executeBatch(batch)
        .mapEmpty();
  }

  /**
   * The record as JSON: the interaction's columns, {@code statistics} (absent members: NULL, i.e.
   * not measured or written before the statistics), {@code participants} and {@code entries}.
   */
  @Override
  public Future<JsonObject> read(String chatId) {
    return Pg.typed(
        migrated().compose(m -> pool.withConnection(c -> readWith(c, chatId))), up -> {});
  }

  private static Future<JsonObject> readWith(SqlConnection c, String chatId) {
    return c.preparedQuery("SELECT * FROM interactions WHERE chat_id = $1")
        .execute(Tuple.of(chatId))
        .compose(
            rows -> {
              if (rows.rowCount() == 0) {
                return Future.succeededFuture((JsonObject) null);
              }
              JsonObject out = interaction(chatId, rows.iterator().next());
              return c.preparedQuery(
                      "SELECT * FROM interaction_participants WHERE chat_id = $1"
                          + " ORDER BY joined_at, participant_id")
                  .execute(Tuple.of(chatId))
                  .compose(
                      ps -> {
                        JsonArray parts = new JsonArray();
                        ps.forEach(p -> parts.add(participant(p)));
                        out.put("participants", parts);
                        return c.preparedQuery(
                                "SELECT * FROM interaction_entries WHERE chat_id = $1"
                                    + " ORDER BY idx")
                            .execute(Tuple.of(chatId));
                      })
                  .map(
                      es -> {
                        JsonArray entries = new JsonArray();
                        es.forEach(e -> entries.add(entry(e)));
                        return out.put("entries", entries);
                      });
            });
  }

  private static JsonObject interaction(String chatId, Row i) {
    JsonObject stats = new JsonObject();
    putIfNotNull(stats, "queueWaitMillis", i.getLong("queue_wait_ms"));
    putIfNotNull(stats, "timeToAnswerMillis", i.getLong("time_to_answer_ms"));
    putIfNotNull(stats, "agents", i.getInteger("agents"));
    putIfNotNull(stats, "transfers", i.getInteger("transfers"));
    putIfNotNull(stats, "restores", i.getInteger("restores"));
    putIfNotNull(stats, "offers", i.getInteger("offers"));
    putIfNotNull(stats, "rejects", i.getInteger("rejects"));
    return new JsonObject()
        .put("chatId", chatId)
        .put("subject", i.getString("subject"))
        .put("userData", i.getValue("user_data"))
        .put("createdAt", i.getOffsetDateTime("created_at").toString())
        .put("closedAt", i.getOffsetDateTime("closed_at").toString())
        .put("closeReason", i.getString("close_reason"))
        .put("entryCount", i.getInteger("entry_count"))
        .put("writtenBy", i.getString("written_by"))
        .put("statistics", stats);
  }

  private static JsonObject participant(Row p) {
    JsonObject out =
        new JsonObject()
            .put("participantId", p.getString("participant_id"))
            .put("type", p.getString("type"))
            .put("nickname", p.getString("nickname"))
            .put("joinedAt", p.getOffsetDateTime("joined_at").toString())
            .put("left", p.getBoolean("has_left"));
    putIfNotNull(out, "agentId", p.getString("agent_id"));
    OffsetDateTime leftAt = p.getOffsetDateTime("left_at");
    putIfNotNull(out, "leftAt", leftAt == null ? null : leftAt.toString());
    putIfNotNull(out, "leaveReason", p.getString("leave_reason"));
    putIfNotNull(out, "handleMillis", p.getLong("handle_ms"));
    return out;
  }

  private static JsonObject entry(Row e) {
    return new JsonObject()
        .put("index", e.getLong("idx"))
        .put("type", e.getString("type"))
        .put("participantId", e.getString("participant_id"))
        .put("nickname", e.getString("nickname"))
        .put("text", e.getString("text"))
        .put("utcTime", e.getOffsetDateTime("utc_time").toString())
        .put("clientMessageId", e.getString("client_message_id"))
        .put("visibility", e.getString("visibility"));
  }

  private static void putIfNotNull(JsonObject o, String key, Object value) {
    if (value != null) {
      o.put(key, value);
    }
  }

  @Override
  public Future<Void> shutdown() {
    return pool.close();
  }
}
