package dev.hachat.store.spi;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.Ownership;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoredSession;
import io.vertx.core.Future;
import java.util.List;

/**
 * Where sessions and their transcripts live between instances.
 *
 * <p>Every method is asynchronous and must never block the calling thread (an event loop). Failures
 * are {@link dev.hachat.store.StoreException}s with a {@link StoreErrorKind}.
 *
 * <p><b>Ownership and fencing.</b> A session has one owner record with an epoch that only grows.
 * {@link #create} writes epoch 1; {@link #claim} moves to epoch + 1 by compare-and-set. Writes
 * carry the writer's epoch. After a claim with base index {@code b}, entries written under an older
 * epoch with an index above {@code b} are not part of the transcript: a backend either rejects such
 * writes ({@link StoreErrorKind#FENCED}) or accepts and then never returns them from {@link #load}.
 * Either way the caller must not acknowledge them; instances use leases for that
 * (docs/consistency.md).
 *
 * <p><b>Idempotence.</b> Writing the same entry (same index, same epoch) again is harmless, so a
 * write whose outcome is unknown (a timeout) can be retried.
 */
public interface TranscriptStore {

  /** A short name for logs and metrics: {@code memory}, {@code cassandra}, {@code ucs}. */
  String name();

  /**
   * Creates a session owned by {@code owner} at epoch 1, with no entries and no participants. Fails
   * with {@link StoreErrorKind#ALREADY_EXISTS} if the id is taken.
   */
  Future<Ownership> create(SessionRecord session, String owner);

  /**
   * Appends (or rewrites, idempotently) entries and upserts participant records, as one write.
   * Fails with {@link StoreErrorKind#NOT_FOUND} for an unknown session and may fail with {@link
   * StoreErrorKind#FENCED} when {@code epoch} is no longer the current one.
   */
  Future<Void> append(
      String sessionId, long epoch, List<Entry> entries, List<ParticipantRecord> participants);

  /**
   * Loads a session: creation data, ownership, participants, and the transcript ordered by index.
   * Fails with {@link StoreErrorKind#NOT_FOUND}.
   */
  Future<StoredSession> load(String sessionId);

  /**
   * Takes ownership by compare-and-set: succeeds only if the current epoch is {@code
   * expectedEpoch}, and then records {@code newOwner} at {@code expectedEpoch + 1} with {@code
   * baseIndex}. Fails with {@link StoreErrorKind#CONFLICT} carrying the current ownership.
   */
  Future<Ownership> claim(String sessionId, long expectedEpoch, String newOwner, long baseIndex);

  /**
   * {@link #claim(String, long, String, long)} from the ownership a load just read: a store that
   * keeps an index by owner can move the row from {@code loaded.owner()} without reading it first
   * (the claim applies only at {@code loaded.epoch()}, whose owner that is).
   */
  default Future<Ownership> claim(Ownership loaded, String newOwner, long baseIndex) {
    return claim(loaded.sessionId(), loaded.epoch(), newOwner, baseIndex);
  }

  /**
   * Marks the ownership at {@code epoch} as given up (drain, evacuate), so a claimant need not wait
   * for the owner to be declared dead. Fails with {@link StoreErrorKind#CONFLICT} if the epoch
   * moved on.
   */
  Future<Void> release(String sessionId, long epoch);

  /**
   * Marks the session closed. Idempotent: closing a closed session keeps the first {@link
   * CloseInfo}. May fail with {@link StoreErrorKind#FENCED}.
   */
  Future<Void> close(String sessionId, long epoch, CloseInfo info);

  /**
   * The buckets of the outbox of final transcripts that may hold entries at {@code now}, oldest
   * first. The outbox lists the sessions closed (or being closed) whose records are still here,
   * each in the bucket of its closing time ({@link ClosedSession#bucketOf}); a backend may keep
   * entries elsewhere too (Cassandra: bucket 0, where versions before the buckets wrote every
   * entry). Every bucket that holds an entry is listed for as long as that entry can still be in
   * the store (Cassandra: back to its TTL); empty buckets may be listed too. Read with {@link
   * dev.hachat.store.OutboxReader}, which pages through them so a backlog in one bucket never hides
   * the others.
   */
  Future<List<Long>> closedBuckets(long now);

  /**
   * The outbox entries of one bucket in id order, those after {@code afterId} ({@code ""} for the
   * first page), at most {@code limit}. A backend may list a session whose close did not take
   * effect, or one deleted since: callers load each one and act only on closed ones, and remove a
   * listed entry whose session is gone with {@link #delete(ClosedSession)}.
   */
  Future<List<ClosedSession>> closedSessions(long bucket, String afterId, int limit);

  /**
   * An entry of {@link #closedSessions}: the session, the instance that closed it, when, and the
   * bucket it is filed in.
   */
  record ClosedSession(String sessionId, String owner, long closedAt, long bucket) {
    /**
     * The width of an outbox bucket, one hour: fixed, not an option, because an entry is found
     * again only in the bucket it was written to (docs/ucs.md, "The outbox").
     */
    public static final long BUCKET_MILLIS = 3_600_000L;

    /** The bucket of a closing time (epoch milliseconds): whole hours since the epoch. */
    public static long bucketOf(long closedAt) {
      return Math.floorDiv(closedAt, BUCKET_MILLIS);
    }
  }

  /**
   * Ids of open sessions whose owner is (or was) {@code owner}, in id order, those after {@code
   * afterId} ({@code ""} for the first page), at most {@code limit}: how survivors find the chats
   * of a dead instance (the orphan sweep). Backed by an index kept in step on create, claim (the
   * new owner added, the old one removed), close and delete, but not atomically with them, so it
   * may list a session claimed, closed or deleted since: callers load each one and act only on a
   * session still open and owned by {@code owner}. It never misses an open session owned by {@code
   * owner} (the new owner's row is written before the create or claim).
   */
  Future<List<String>> openSessionsOf(String owner, String afterId, int limit);

  /**
   * Deletes everything about a session, its outbox entry included. Deleting an unknown session
   * succeeds.
   */
  Future<Void> delete(String sessionId);

  /**
   * Deletes everything about a listed session, as {@link #delete(String)} does, and the outbox
   * entry it was listed under, wherever that is filed (an entry of an earlier version, or of a
   * close that lost a race, sits in another bucket than the session's close). Deleting an unknown
   * session succeeds and still removes the entry.
   */
  default Future<Void> delete(ClosedSession listed) {
    return delete(listed.sessionId());
  }

  /** Releases connections and threads. */
  Future<Void> shutdown();

  /** False while the backend's last request failed for lack of the database (a metric). */
  default boolean available() {
    return true;
  }

  /** Called with the new status on every AVAILABLE/UNAVAILABLE transition. */
  default void onStatusChange(java.util.function.Consumer<Boolean> listener) {}
}
