package dev.hachat.store.impl.postgres;

import dev.hachat.store.Entry;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.StoredSession;
import dev.hachat.store.spi.ContactHistory;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/** The contact history in PostgreSQL; see docs/ucs.md for the tables and example SQL. */
public final class PgContactHistory implements ContactHistory {
  private final Pool pool;
  private Future<Void> migrated;

  /** A contact history over a pool whose schema is already migrated. */
  public PgContactHistory(Pool pool) {
    this.pool = pool;
    this.migrated = Future.succeededFuture();
  }

  /**
   * A contact history that migrates the schema on first use and again on every use until that
   * succeeded, so an instance can start while PostgreSQL is unreachable (its final writes are
   * retried meanwhile).
   */
  public static PgContactHistory migratingOnUse(Pool pool) {
    PgContactHistory h = new PgContactHistory(pool);
    h.migrated = null;
    h.migrated()
        .onFailure(
            e ->
                org.slf4j.LoggerFactory.getLogger(PgContactHistory.class)
                    .warn("contact history not reachable yet, will retry: {}", e.toString()));
    return h;
  }

  private synchronized Future<Void> migrated() {
    if (migrated == null || migrated.failed()) {
      migrated = Pg.migrate(pool);
    }
    return migrated;
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
    return (pool.withTransaction(
        c ->
            c.preparedQuery(
                    "INSERT INTO interactions (chat_id, subject, user_data, created_at,"
                        + " closed_at, close_reason, entry_count, written_by)"
                        + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
                        + " ON CONFLICT (chat_id) DO NOTHING")
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
                          writtenBy
                        }))
                .compose(
                    r -> {
                      if (r.rowCount() == 0) {
                        return Future.succeededFuture(false); // written before
                      }
                      return insertParticipants(c, id, s)
                          .compose(v -> insertEntries(c, id, s))
                          .map(true);
                    })));
  }

  private static Future<Void> insertParticipants(
      io.vertx.sqlclient.SqlConnection c, String id, StoredSession s) {
    if (s.participants().isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> batch = new ArrayList<>();
    for (ParticipantRecord p : s.participants().values()) {
      batch.add(
          Tuple.of(id, p.id(), p.type().wireName(), p.nickname(), time(p.joinedAt()), p.left()));
    }
    return c.preparedQuery(
            "INSERT INTO interaction_participants (chat_id, participant_id, type, nickname,"
                + " joined_at, has_left) VALUES ($1, $2, $3, $4, $5, $6)")
        .executeBatch(batch)
        .mapEmpty();
  }

  private static Future<Void> insertEntries(
      io.vertx.sqlclient.SqlConnection c, String id, StoredSession s) {
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

  @Override
  public Future<JsonObject> read(String chatId) {
    return Pg.typed(
        migrated()
            .compose(
                m ->
                    pool.withConnection(
                        c ->
                            c.preparedQuery("SELECT * FROM interactions WHERE chat_id = $1")
                                .execute(Tuple.of(chatId))
                                .compose(
                                    rows -> {
                                      if (rows.rowCount() == 0) {
                                        return Future.succeededFuture((JsonObject) null);
                                      }
                                      Row i = rows.iterator().next();
                                      JsonObject out =
                                          new JsonObject()
                                              .put("chatId", chatId)
                                              .put("subject", i.getString("subject"))
                                              .put("userData", i.getValue("user_data"))
                                              .put(
                                                  "createdAt",
                                                  i.getOffsetDateTime("created_at").toString())
                                              .put(
                                                  "closedAt",
                                                  i.getOffsetDateTime("closed_at").toString())
                                              .put("closeReason", i.getString("close_reason"))
                                              .put("entryCount", i.getInteger("entry_count"))
                                              .put("writtenBy", i.getString("written_by"));
                                      return c.preparedQuery(
                                              "SELECT * FROM interaction_participants WHERE chat_id = $1"
                                                  + " ORDER BY joined_at")
                                          .execute(Tuple.of(chatId))
                                          .compose(
                                              ps -> {
                                                JsonArray parts = new JsonArray();
                                                for (Row p : ps) {
                                                  parts.add(
                                                      new JsonObject()
                                                          .put(
                                                              "participantId",
                                                              p.getString("participant_id"))
                                                          .put("type", p.getString("type"))
                                                          .put("nickname", p.getString("nickname"))
                                                          .put(
                                                              "joinedAt",
                                                              p.getOffsetDateTime("joined_at")
                                                                  .toString())
                                                          .put("left", p.getBoolean("has_left")));
                                                }
                                                out.put("participants", parts);
                                                return c.preparedQuery(
                                                        "SELECT * FROM interaction_entries WHERE chat_id = $1"
                                                            + " ORDER BY idx")
                                                    .execute(Tuple.of(chatId));
                                              })
                                          .map(
                                              es -> {
                                                JsonArray entries = new JsonArray();
                                                for (Row e : es) {
                                                  entries.add(
                                                      new JsonObject()
                                                          .put("index", e.getLong("idx"))
                                                          .put("type", e.getString("type"))
                                                          .put(
                                                              "participantId",
                                                              e.getString("participant_id"))
                                                          .put("nickname", e.getString("nickname"))
                                                          .put("text", e.getString("text"))
                                                          .put(
                                                              "utcTime",
                                                              e.getOffsetDateTime("utc_time")
                                                                  .toString())
                                                          .put(
                                                              "clientMessageId",
                                                              e.getString("client_message_id"))
                                                          .put(
                                                              "visibility",
                                                              e.getString("visibility")));
                                                }
                                                return out.put("entries", entries);
                                              });
                                    }))),
        up -> {});
  }

  @Override
  public Future<Void> shutdown() {
    return pool.close();
  }
}
