package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.Ownership;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.impl.StatusReportingStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Cassandra store. Entries are plain single-partition batch writes tagged with the writer's
 * epoch (no LWT on the hot path); ownership changes are LWTs; {@link #load} resolves which entries
 * count ({@link TranscriptResolver}). Thread-safe.
 */
public final class CassandraTranscriptStore extends StatusReportingStore {

  private final Vertx vertx;
  private final CqlSession session;

  /** Heartbeats and leases: a session outside the chat requests' bound, never queued behind it. */
  private final CqlSession membership;

  private final CassandraStoreOptions options;
  private final Statements st;
  private final OwnerIndex byOwner;
  private final OutboxTable outbox;
  private final Map<String, Boolean> known = new ConcurrentHashMap<>();

  private CassandraTranscriptStore(
      Vertx vertx, CqlSession session, CqlSession membership, CassandraStoreOptions o) {
    super("Cassandra");
    this.vertx = vertx;
    this.session = session;
    this.membership = membership;
    this.options = o;
    this.st = new Statements(session, o.getKeyspace());
    CqlTable.Store tables = new CqlTable.Store(session, o.getKeyspace(), o.getTtl(), this::run);
    this.byOwner = new OwnerIndex(tables);
    this.outbox = new OutboxTable(tables);
  }

  /** Connects, creates the schema if configured, prepares statements. */
  public static Future<CassandraTranscriptStore> connect(Vertx vertx, CassandraStoreOptions o) {
    CompletionStage<CqlSession> connected =
        CqlSessions.connect(o, false, true)
            .thenCompose(
                s ->
                    (o.isCreateSchema()
                            ? SchemaTool.apply(s, o.getKeyspace(), o.getReplicationFactor())
                            : java.util.concurrent.CompletableFuture.<Void>completedFuture(null))
                        .thenApply(v -> s));
    return Future.fromCompletionStage(connected)
        .compose(
            s ->
                Future.fromCompletionStage(CqlSessions.connect(o, false, false))
                    .onFailure(e -> s.closeAsync())
                    .compose(
                        m ->
                            vertx.executeBlocking(
                                () -> new CassandraTranscriptStore(vertx, s, m, o))));
  }

  CqlSession session() {
    return session;
  }

  /** The session of heartbeats and leases (outside {@code max-concurrent-requests}). */
  CqlSession membershipSession() {
    return membership;
  }

  @Override
  public String name() {
    return "cassandra";
  }

  private <T> Future<T> run(CompletionStage<T> stage) {
    return Cql.future(vertx, stage, status);
  }

  @Override
  public Future<Ownership> create(SessionRecord s, String owner) {
    // The owner's index row first: no open session is ever missing from it (a failed create
    // leaves a stale row, which readers skip).
    return byOwner
        .add(owner, s.id())
        .compose(
            v ->
                run(
                    session.executeAsync(
                        st.create.bind(
                            s.id(),
                            s.createdAt(),
                            s.subject(),
                            s.userData(),
                            owner,
                            options.getTtl()))))
        .map(
            rs -> {
              if (!rs.wasApplied()) {
                throw StoreException.of(StoreErrorKind.ALREADY_EXISTS, "session exists: " + s.id());
              }
              known.put(s.id(), true);
              return new Ownership(s.id(), owner, 1, 0, false);
            });
  }

  @Override
  public Future<Void> append(
      String sessionId, long epoch, List<Entry> entries, List<ParticipantRecord> participants) {
    Future<Void> exists =
        known.containsKey(sessionId)
            ? Future.succeededFuture()
            : run(session.executeAsync(st.exists.bind(sessionId).setIdempotent(true)))
                .map(
                    rs -> {
                      if (rs.one() == null) {
                        throw notFound(sessionId);
                      }
                      known.put(sessionId, true);
                      return null;
                    });
    return exists.compose(
        v -> {
          BatchStatement batch =
              AppendBatch.of(st, sessionId, epoch, entries, participants, options.getTtl());
          if (batch == null) {
            return Future.succeededFuture();
          }
          if (!AppendBatch.conditional(participants)) {
            return run(session.executeAsync(batch)).mapEmpty();
          }
          return run(session.executeAsync(batch))
              .map(
                  rs -> {
                    if (!rs.wasApplied()) {
                      throw StoreException.of(
                          StoreErrorKind.FENCED,
                          "epoch " + epoch + " of " + sessionId + " is superseded");
                    }
                    return null;
                  });
        });
  }

  @Override
  public Future<StoredSession> load(String sessionId) {
    return run(session.executeAsync(st.load.bind(sessionId).setIdempotent(true)))
        .compose(rs -> collect(rs, new ArrayList<>()))
        .map(rows -> resolve(sessionId, rows));
  }

  private Future<List<Row>> collect(AsyncResultSet rs, List<Row> acc) {
    rs.currentPage().forEach(acc::add);
    if (!rs.hasMorePages()) {
      return Future.succeededFuture(acc);
    }
    return run(rs.fetchNextPage()).compose(next -> collect(next, acc));
  }

  private StoredSession resolve(String sessionId, List<Row> rows) {
    if (rows.isEmpty() || rows.get(0).isNull("owner_epoch")) {
      throw notFound(sessionId);
    }
    Row first = rows.get(0);
    long epoch = first.getLong("owner_epoch");
    Map<Long, Long> bases = first.getMap("bases", Long.class, Long.class);
    List<TranscriptResolver.Row> entryRows = new ArrayList<>();
    for (Row r : rows) {
      if (!r.isNull("idx")) {
        entryRows.add(new TranscriptResolver.Row(Rows.entry(r), r.getLong("epoch")));
      }
    }
    Map<String, ParticipantRecord> participants = new LinkedHashMap<>();
    first.getMap("participants", String.class, String.class).values().stream()
        .map(Rows::participant)
        .sorted((a, b) -> Long.compare(a.joinedAt(), b.joinedAt()))
        .forEach(p -> participants.put(p.id(), p));
    CloseInfo closed =
        first.isNull("closed_reason")
            ? null
            : new CloseInfo(first.getString("closed_reason"), first.getLong("closed_at"));
    known.put(sessionId, true);
    return new StoredSession(
        new SessionRecord(
            sessionId,
            first.getLong("created_at"),
            first.getString("subject"),
            first.getMap("user_data", String.class, String.class)),
        new Ownership(
            sessionId,
            first.getString("owner"),
            epoch,
            first.getLong("base_index"),
            first.getBoolean("released")),
        participants,
        TranscriptResolver.resolve(entryRows, bases, epoch),
        closed);
  }

  @Override
  public Future<Ownership> claim(
      String sessionId, long expectedEpoch, String newOwner, long baseIndex) {
    return byOwner
        .ownerOf(sessionId)
        .compose(prev -> claim(sessionId, expectedEpoch, prev, newOwner, baseIndex));
  }

  @Override
  public Future<Ownership> claim(Ownership loaded, String newOwner, long baseIndex) {
    return claim(loaded.sessionId(), loaded.epoch(), loaded.owner(), newOwner, baseIndex);
  }

  /** The claim; {@code previous} (may be null): whose index row to remove once it applied. */
  private Future<Ownership> claim(
      String sessionId, long expectedEpoch, String previous, String newOwner, long baseIndex) {
    long next = expectedEpoch + 1;
    return byOwner
        .add(newOwner, sessionId)
        .compose(
            v ->
                run(
                    session.executeAsync(
                        st.claim.bind(
                            newOwner, next, baseIndex, next, baseIndex, sessionId, expectedEpoch))))
        .compose(
            rs -> {
              if (rs.wasApplied()) {
                Ownership claimed = new Ownership(sessionId, newOwner, next, baseIndex, false);
                if (previous == null || previous.equals(newOwner)) {
                  return Future.succeededFuture(claimed);
                }
                // The old owner's row is stale now; if its removal fails, readers skip it.
                return byOwner.remove(previous, sessionId).otherwiseEmpty().map(x -> claimed);
              }
              Row r = rs.one();
              if (r == null || r.isNull("owner_epoch")) {
                return Future.failedFuture(notFound(sessionId));
              }
              return currentOwnership(sessionId)
                  .compose(o -> Future.failedFuture(StoreException.conflict(o)));
            });
  }

  private Future<Ownership> currentOwnership(String sessionId) {
    return run(session.executeAsync(
            st.ownership
                .bind(sessionId)
                .setIdempotent(true)
                .setConsistencyLevel(
                    com.datastax.oss.driver.api.core.DefaultConsistencyLevel.valueOf(
                        options.getSerialConsistency()))))
        .map(
            rs -> {
              Row r = rs.one();
              if (r == null || r.isNull("owner_epoch")) {
                throw notFound(sessionId);
              }
              return new Ownership(
                  sessionId,
                  r.getString("owner"),
                  r.getLong("owner_epoch"),
                  r.getLong("base_index"),
                  r.getBoolean("released"));
            });
  }

  @Override
  public Future<Void> release(String sessionId, long epoch) {
    return run(session.executeAsync(st.release.bind(sessionId, epoch)))
        .compose(
            rs ->
                rs.wasApplied()
                    ? Future.succeededFuture()
                    : currentOwnership(sessionId)
                        .compose(o -> Future.failedFuture(StoreException.conflict(o))));
  }

  @Override
  public Future<Void> close(String sessionId, long epoch, CloseInfo info) {
    // The outbox entry goes first, so a crash right after the close cannot hide the chat from
    // the instances that finish final transcripts (an entry whose close failed is skipped).
    String[] owner = new String[1];
    return currentOwnership(sessionId)
        .compose(
            o -> {
              owner[0] = o.owner();
              return outbox.mark(sessionId, o.owner(), info.closedAt());
            })
        .compose(
            v ->
                run(
                    session.executeAsync(
                        st.close.bind(info.reason(), info.closedAt(), sessionId, epoch))))
        .compose(
            rs -> {
              if (rs.wasApplied()) {
                // No longer open: out of its owner's index (a failed removal leaves a stale row).
                return byOwner.remove(owner[0], sessionId).otherwiseEmpty();
              }
              Row r = rs.one();
              if (r == null || r.isNull("owner_epoch")) {
                return Future.failedFuture(notFound(sessionId));
              }
              if (!r.isNull("closed_reason")) {
                return Future.succeededFuture(); // closed before: the first close stays
              }
              return Future.failedFuture(
                  StoreException.of(
                      StoreErrorKind.FENCED,
                      "epoch " + epoch + " of " + sessionId + " superseded"));
            });
  }

  @Override
  public Future<Void> delete(String sessionId) {
    return delete(sessionId, null);
  }

  @Override
  public Future<Void> delete(ClosedSession listed) {
    return delete(listed.sessionId(), listed.bucket());
  }

  /**
   * Deletes the session, then its outbox entry (in the bucket of its close, and in {@code listedIn}
   * if that is another one), then its owner's index row. A crash in between leaves an entry whose
   * session is gone: the sweep removes it with {@link #delete(ClosedSession)}.
   */
  private Future<Void> delete(String sessionId, Long listedIn) {
    known.remove(sessionId);
    return run(session.executeAsync(st.ownerAndClose.bind(sessionId).setIdempotent(true)))
        .compose(
            rs -> {
              Row r = rs.one();
              String owner = r == null ? null : r.getString("owner");
              Long closedIn =
                  r == null || r.isNull("closed_at")
                      ? null
                      : ClosedSession.bucketOf(r.getLong("closed_at"));
              return run(session.executeAsync(st.delete.bind(sessionId).setIdempotent(true)))
                  .compose(
                      v ->
                          closedIn == null
                              ? Future.<Void>succeededFuture()
                              : outbox.unmark(closedIn, sessionId))
                  .compose(
                      v ->
                          listedIn == null || listedIn.equals(closedIn)
                              ? Future.<Void>succeededFuture()
                              : outbox.unmark(listedIn, sessionId))
                  .compose(
                      v ->
                          owner == null
                              ? Future.<Void>succeededFuture()
                              : byOwner.remove(owner, sessionId));
            });
  }

  @Override
  public Future<List<String>> openSessionsOf(String owner, String afterId, int limit) {
    return byOwner.list(owner, afterId, limit);
  }

  @Override
  public Future<List<Long>> closedBuckets(long now) {
    return Future.succeededFuture(outbox.buckets(now));
  }

  @Override
  public Future<List<ClosedSession>> closedSessions(long bucket, String afterId, int limit) {
    return outbox.list(bucket, afterId, limit);
  }

  @Override
  public Future<Void> shutdown() {
    return Future.join(
            Future.fromCompletionStage(session.closeAsync()),
            Future.fromCompletionStage(membership.closeAsync()))
        .mapEmpty();
  }

  private static StoreException notFound(String id) {
    return StoreException.of(StoreErrorKind.NOT_FOUND, "no such session: " + id);
  }
}
