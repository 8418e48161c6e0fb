package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.hachat.store.spi.TranscriptStore.ClosedSession;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code closed_sessions} table, the outbox of final transcripts: one partition per hour of
 * closing time ({@link ClosedSession#bucketOf}), clustered by session id, so a backlog of closed
 * chats (the contact history down for hours) spreads over many small partitions instead of one wide
 * one. Versions before the buckets wrote every entry to bucket 0; that bucket is still read ({@link
 * #buckets}) until their entries are gone. Thread-safe.
 */
final class OutboxTable extends CqlTable {
  /**
   * Where versions before the buckets wrote every entry. No entry is written there any more (bucket
   * 0 is the first hour of 1970); reading it can stop once no instance older than the buckets ran
   * within the store's TTL (docs/ucs.md, "The outbox").
   */
  static final long LEGACY_BUCKET = 0;

  private final PreparedStatement mark;
  private final PreparedStatement unmark;
  private final PreparedStatement list;

  OutboxTable(Store store) {
    super(store);
    String t = table("closed_sessions");
    mark =
        prepare(
            "INSERT INTO "
                + t
                + " (bucket, session_id, owner, closed_at) VALUES (?, ?, ?, ?) USING TTL ?");
    unmark = prepare("DELETE FROM " + t + " WHERE bucket = ? AND session_id = ?");
    list = prepare("SELECT * FROM " + t + " WHERE bucket = ? AND session_id > ? LIMIT ?");
  }

  /** Files a session closed (or being closed) at {@code closedAt} in the bucket of that time. */
  Future<Void> mark(String sessionId, String owner, long closedAt) {
    int bucket = Math.toIntExact(ClosedSession.bucketOf(closedAt));
    return execute(mark.bind(bucket, sessionId, owner, closedAt, ttl)).mapEmpty();
  }

  Future<Void> unmark(long bucket, String sessionId) {
    return execute(unmark.bind(Math.toIntExact(bucket), sessionId)).mapEmpty();
  }

  /**
   * The legacy bucket, then every bucket from one before {@code now - ttl} to one after {@code
   * now}: an entry lives for the TTL from its write, which may come a while after its closing time
   * (a close retried while the store was down), and a closing instance's clock may run ahead of
   * this one's.
   */
  List<Long> buckets(long now) {
    long oldest = ClosedSession.bucketOf(now - ttl * 1000L) - 1;
    long newest = ClosedSession.bucketOf(now) + 1;
    List<Long> out = new ArrayList<>();
    out.add(LEGACY_BUCKET);
    for (long b = Math.max(oldest, LEGACY_BUCKET + 1); b <= newest; b++) {
      out.add(b);
    }
    return out;
  }

  Future<List<ClosedSession>> list(long bucket, String afterId, int limit) {
    return execute(list.bind(Math.toIntExact(bucket), afterId, limit))
        .map(
            rs -> {
              List<ClosedSession> out = new ArrayList<>();
              for (Row r : rs.currentPage()) {
                out.add(
                    new ClosedSession(
                        r.getString("session_id"),
                        r.getString("owner"),
                        r.getLong("closed_at"),
                        r.getInt("bucket")));
              }
              return out;
            });
  }
}
