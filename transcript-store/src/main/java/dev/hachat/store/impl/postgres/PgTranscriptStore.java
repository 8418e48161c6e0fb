package dev.hachat.store.impl.postgres;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.Ownership;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.Visibility;
import dev.hachat.store.impl.Rows;
import dev.hachat.store.impl.StatusReportingStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The UCS-only store: intermediate transcripts and ownership in PostgreSQL. Every write that
 * depends on the ownership runs in a transaction holding the session row's lock ({@code SELECT …
 * FOR UPDATE}), so appends are conditional on the writer's epoch (a stale owner gets {@link
 * StoreErrorKind#FENCED}) and a claim atomically moves the epoch and drops unacknowledged entries
 * past its base. Reactive client only: nothing blocks an event loop.
 */
public final class PgTranscriptStore extends StatusReportingStore {

  private static final String INSERT_ENTRY =
      "INSERT INTO chat_entries (session_id, idx, epoch, type, participant_id, nickname,"
          + " participant_type, text, utc_time, client_message_id, visibility)"
          + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)"
          + " ON CONFLICT (session_id, idx) DO UPDATE SET epoch = EXCLUDED.epoch,"
          + " type = EXCLUDED.type, participant_id = EXCLUDED.participant_id,"
          + " nickname = EXCLUDED.nickname, participant_type = EXCLUDED.participant_type,"
          + " text = EXCLUDED.text, utc_time = EXCLUDED.utc_time,"
          + " client_message_id = EXCLUDED.client_message_id, visibility = EXCLUDED.visibility";

  private final Pool pool;
  private final Pool membership;

  public PgTranscriptStore(Pool pool) {
    this(pool, null);
  }

  /** A store on {@code pool} that also closes {@code membership} (the registry's and leases'). */
  public PgTranscriptStore(Pool pool, Pool membership) {
    super("PostgreSQL");
    this.pool = pool;
    this.membership = membership;
  }

  @Override
  public String name() {
    return "ucs";
  }

  private <T> Future<T> typed(Future<T> f) {
    return Pg.typed(f, status);
  }

  @Override
  public Future<Ownership> create(SessionRecord s, String owner) {
    return typed(
        pool.preparedQuery(
                "INSERT INTO chat_sessions (session_id, created_at, subject, user_data, owner,"
                    + " owner_epoch) VALUES ($1, $2, $3, $4, $5, 1) ON CONFLICT DO NOTHING")
            .execute(
                Tuple.of(
                    s.id(),
                    s.createdAt(),
                    s.subject(),
                    new JsonObject(new LinkedHashMap<>(s.userData())),
                    owner))
            .map(
                r -> {
                  if (r.rowCount() == 0) {
                    throw StoreException.of(
                        StoreErrorKind.ALREADY_EXISTS, "session exists: " + s.id());
                  }
                  return new Ownership(s.id(), owner, 1, 0, false);
                }));
  }

  @Override
  public Future<Void> append(
      String sessionId, long epoch, List<Entry> entries, List<ParticipantRecord> participants) {
    return locked(
        sessionId,
        (c, row) -> {
          long current = row.getLong("owner_epoch");
          if (current != epoch) {
            throw StoreException.of(
                StoreErrorKind.FENCED,
                "epoch " + epoch + " of session " + sessionId + " superseded by " + current);
          }
          Future<?> chain = Future.succeededFuture();
          if (!entries.isEmpty()) {
            List<Tuple> batch = new ArrayList<>(entries.size());
            for (Entry e : entries) {
              batch.add(
                  Tuple.from(
                      new Object[] {
                        sessionId,
                        e.index(),
                        epoch,
                        e.type().wireName(),
                        e.participantId(),
                        e.nickname(),
                        e.participantType().wireName(),
                        e.text(),
                        e.utcTime(),
                        e.clientMessageId(),
                        e.visibility() == Visibility.ALL ? null : e.visibility().wireName()
                      }));
            }
            chain = c.preparedQuery(INSERT_ENTRY).executeBatch(batch);
          }
          if (!participants.isEmpty()) {
            JsonObject patch = new JsonObject();
            participants.forEach(p -> patch.put(p.id(), JsonObject.mapFrom(p)));
            chain =
                chain.compose(
                    v ->
                        c.preparedQuery(
                                "UPDATE chat_sessions SET participants = participants || $2,"
                                    + " updated_at = now() WHERE session_id = $1")
                            .execute(Tuple.of(sessionId, patch)));
          }
          return chain.mapEmpty();
        });
  }

  @Override
  public Future<StoredSession> load(String sessionId) {
    return typed(
        pool.withConnection(
            c ->
                c.preparedQuery("SELECT * FROM chat_sessions WHERE session_id = $1")
                    .execute(Tuple.of(sessionId))
                    .compose(
                        rows -> {
                          if (rows.rowCount() == 0) {
                            return Future.failedFuture(notFound(sessionId));
                          }
                          Row s = rows.iterator().next();
                          return c.preparedQuery(
                                  "SELECT * FROM chat_entries WHERE session_id = $1 ORDER BY idx")
                              .execute(Tuple.of(sessionId))
                              .map(entries -> stored(s, entries));
                        })));
  }

  private static StoredSession stored(Row s, Iterable<Row> entryRows) {
    String id = s.getString("session_id");
    List<Entry> entries = new ArrayList<>();
    long expected = 1;
    for (Row r : entryRows) {
      if (r.getLong("idx") != expected) {
        break; // only the gap-free prefix was acknowledged
      }
      entries.add(entry(r));
      expected++;
    }
    Map<String, ParticipantRecord> participants = new LinkedHashMap<>();
    JsonObject ps = (JsonObject) s.getValue("participants");
    ps.stream()
        .map(e -> ((JsonObject) e.getValue()).mapTo(ParticipantRecord.class))
        .sorted(Comparator.comparingLong(ParticipantRecord::joinedAt))
        .forEach(p -> participants.put(p.id(), p));
    Map<String, String> userData = new LinkedHashMap<>();
    ((JsonObject) s.getValue("user_data"))
        .forEach(e -> userData.put(e.getKey(), (String) e.getValue()));
    CloseInfo closed =
        s.getString("closed_reason") == null
            ? null
            : new CloseInfo(s.getString("closed_reason"), s.getLong("closed_at"));
    return new StoredSession(
        new SessionRecord(id, s.getLong("created_at"), s.getString("subject"), userData),
        ownership(s),
        participants,
        entries,
        closed);
  }

  private static Ownership ownership(Row s) {
    return new Ownership(
        s.getString("session_id"),
        s.getString("owner"),
        s.getLong("owner_epoch"),
        s.getLong("base_index"),
        s.getBoolean("released"));
  }

  private static Entry entry(Row r) {
    return Rows.entry(r::getString, r::getLong);
  }

  @Override
  public Future<Ownership> claim(
      String sessionId, long expectedEpoch, String newOwner, long baseIndex) {
    return locked(
        sessionId,
        (c, row) -> {
          if (row.getLong("owner_epoch") != expectedEpoch) {
            throw StoreException.conflict(ownership(row));
          }
          return c.preparedQuery(
                  "UPDATE chat_sessions SET owner = $2, owner_epoch = $3, base_index = $4,"
                      + " released = false, updated_at = now() WHERE session_id = $1")
              .execute(Tuple.of(sessionId, newOwner, expectedEpoch + 1, baseIndex))
              // Entries of the old epoch past the base were never acknowledged: drop them.
              .compose(
                  r ->
                      c.preparedQuery("DELETE FROM chat_entries WHERE session_id = $1 AND idx > $2")
                          .execute(Tuple.of(sessionId, baseIndex)))
              .map(r -> new Ownership(sessionId, newOwner, expectedEpoch + 1, baseIndex, false));
        });
  }

  @Override
  public Future<Void> release(String sessionId, long epoch) {
    return locked(
        sessionId,
        (c, row) -> {
          if (row.getLong("owner_epoch") != epoch) {
            throw StoreException.conflict(ownership(row));
          }
          return c.preparedQuery(
                  "UPDATE chat_sessions SET released = true, updated_at = now()"
                      + " WHERE session_id = $1")
              .execute(Tuple.of(sessionId))
              .mapEmpty();
        });
  }

  @Override
  public Future<Void> close(String sessionId, long epoch, CloseInfo info) {
    return locked(
        sessionId,
        (c, row) -> {
          if (row.getString("closed_reason") != null) {
            return Future.succeededFuture(); // the first close wins
          }
          if (row.getLong("owner_epoch") != epoch) {
            throw StoreException.of(
                StoreErrorKind.FENCED,
                "epoch " + epoch + " of session " + sessionId + " superseded");
          }
          return c.preparedQuery(
                  "UPDATE chat_sessions SET closed_reason = $2, closed_at = $3, updated_at = now()"
                      + " WHERE session_id = $1")
              .execute(Tuple.of(sessionId, info.reason(), info.closedAt()))
              .mapEmpty();
        });
  }

  /**
   * The bucket of a row's closing time in SQL, as {@link ClosedSession#bucketOf} computes it
   * (closing times are never negative): the expression of the partial index
   * chat_sessions_closed_by_bucket (V4), which serves both outbox queries.
   */
  private static final String BUCKET = "(closed_at / " + ClosedSession.BUCKET_MILLIS + ")";

  @Override
  public Future<List<Long>> closedBuckets(long now) {
    // The outbox is the closed session rows themselves, which never expire here: every bucket
    // that holds one, however old.
    return typed(
        pool.preparedQuery(
                "SELECT DISTINCT "
                    + BUCKET
                    + " AS bucket FROM chat_sessions WHERE closed_reason IS NOT NULL"
                    + " ORDER BY bucket")
            .execute()
            .map(rows -> Pg.each(rows, r -> r.getLong("bucket"))));
  }

  @Override
  public Future<List<ClosedSession>> closedSessions(long bucket, String afterId, int limit) {
    return typed(
        pool.preparedQuery(
                "SELECT session_id, owner, closed_at FROM chat_sessions"
                    + " WHERE closed_reason IS NOT NULL AND "
                    + BUCKET
                    + " = $1 AND session_id > $2 ORDER BY session_id LIMIT $3")
            .execute(Tuple.of(bucket, afterId, limit))
            .map(
                rows ->
                    Pg.each(
                        rows,
                        r ->
                            new ClosedSession(
                                r.getString("session_id"),
                                r.getString("owner"),
                                r.getLong("closed_at"),
                                bucket))));
  }

  @Override
  public Future<List<String>> openSessionsOf(String owner, String afterId, int limit) {
    // Served by the partial index chat_sessions_open_by_owner (V3); always in step, being the
    // session row itself.
    return typed(
        pool.preparedQuery(
                "SELECT session_id FROM chat_sessions WHERE owner = $1 AND closed_reason IS NULL"
                    + " AND session_id > $2 ORDER BY session_id LIMIT $3")
            .execute(Tuple.of(owner, afterId, limit))
            .map(rows -> Pg.each(rows, r -> r.getString("session_id"))));
  }

  @Override
  public Future<Void> delete(String sessionId) {
    return typed(
        pool.preparedQuery("DELETE FROM chat_sessions WHERE session_id = $1")
            .execute(Tuple.of(sessionId))
            .mapEmpty());
  }

  @Override
  public Future<Void> shutdown() {
    return membership == null
        ? pool.close()
        : Future.join(pool.close(), membership.close()).mapEmpty();
  }

  /** Runs {@code op} in a transaction holding the session row's lock. */
  private <T> Future<T> locked(
      String sessionId, java.util.function.BiFunction<SqlConnection, Row, Future<T>> op) {
    return typed(
        Pg.locked(
            pool,
            "SELECT * FROM chat_sessions WHERE session_id = $1 FOR UPDATE",
            sessionId,
            () -> notFound(sessionId),
            op));
  }

  private static StoreException notFound(String id) {
    return StoreException.of(StoreErrorKind.NOT_FOUND, "no such session: " + id);
  }
}
