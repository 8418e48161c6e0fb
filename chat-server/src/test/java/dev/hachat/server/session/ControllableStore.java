package dev.hachat.server.session;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.Ownership;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real in-memory store with fault switches for engine unit tests: {@code down} makes every
 * write fail as UNAVAILABLE; {@code gated} holds appends until {@link #openGate()}; {@code
 * refuseText} refuses some writes for their data.
 */
final class ControllableStore implements TranscriptStore {
  private final TranscriptStore delegate = TranscriptStores.inMemory();
  private final Queue<Runnable> held = new ConcurrentLinkedQueue<>();
  final AtomicInteger appendCalls = new AtomicInteger();
  final AtomicInteger loadCalls = new AtomicInteger();

  /** One {@link #append} call as it was asked for. */
  record Write(List<Entry> entries, List<ParticipantRecord> participants) {}

  final Queue<Write> writes = new ConcurrentLinkedQueue<>();
  volatile boolean down;
  volatile boolean gated;

  /**
   * Appends holding an entry text or a participant nickname that contains this are refused for
   * their data ({@code REJECTED}), as PostgreSQL refuses a NUL.
   */
  volatile String refuseText;

  /**
   * Like Cassandra: a write of an older epoch is accepted (it is hidden at read time, R5) instead
   * of being rejected as FENCED, so only the writer's lease keeps a stale owner from acknowledging.
   */
  volatile boolean plainWrites;

  /**
   * Claims by this instance are applied at once, but their answers wait for {@link #answerClaims}.
   */
  volatile String holdClaimAnswersOf;

  private final Queue<Runnable> heldClaimAnswers = new ConcurrentLinkedQueue<>();

  /** Delivers the held claim answers. */
  void answerClaims() {
    holdClaimAnswersOf = null;
    Runnable r;
    while ((r = heldClaimAnswers.poll()) != null) {
      r.run();
    }
  }

  void openGate() {
    gated = false;
    Runnable r;
    while ((r = held.poll()) != null) {
      r.run();
    }
  }

  int heldAppends() {
    return held.size();
  }

  private <T> Future<T> unlessDown(java.util.function.Supplier<Future<T>> op) {
    if (down) {
      return Future.failedFuture(StoreException.unavailable("store is down (test)", null));
    }
    return op.get();
  }

  @Override
  public String name() {
    return "controllable";
  }

  @Override
  public Future<Ownership> create(SessionRecord session, String owner) {
    return unlessDown(() -> delegate.create(session, owner));
  }

  @Override
  public Future<Void> append(
      String sessionId, long epoch, List<Entry> entries, List<ParticipantRecord> participants) {
    appendCalls.incrementAndGet();
    writes.add(new Write(List.copyOf(entries), List.copyOf(participants)));
    String refuse = refuseText;
    if (refuse != null
        && (entries.stream().anyMatch(e -> e.text().contains(refuse))
            || participants.stream().anyMatch(p -> p.nickname().contains(refuse)))) {
      return Future.failedFuture(StoreException.rejected("refused for its data (test)", null));
    }
    if (gated) {
      Promise<Void> p = Promise.promise();
      held.add(() -> delegate.append(sessionId, epoch, entries, participants).onComplete(p));
      return p.future();
    }
    return unlessDown(
        () ->
            delegate
                .append(sessionId, epoch, entries, participants)
                .recover(
                    e ->
                        plainWrites && StoreException.is(e, dev.hachat.store.StoreErrorKind.FENCED)
                            ? Future.succeededFuture()
                            : Future.failedFuture(e)));
  }

  @Override
  public Future<StoredSession> load(String sessionId) {
    loadCalls.incrementAndGet();
    return delegate.load(sessionId);
  }

  @Override
  public Future<Ownership> claim(String sessionId, long expectedEpoch, String newOwner, long base) {
    Future<Ownership> claimed =
        unlessDown(() -> delegate.claim(sessionId, expectedEpoch, newOwner, base));
    if (newOwner.equals(holdClaimAnswersOf)) {
      Promise<Ownership> p = Promise.promise();
      heldClaimAnswers.add(() -> claimed.onComplete(p));
      return p.future();
    }
    return claimed;
  }

  @Override
  public Future<Void> release(String sessionId, long epoch) {
    return unlessDown(() -> delegate.release(sessionId, epoch));
  }

  @Override
  public Future<Void> close(String sessionId, long epoch, CloseInfo info) {
    return unlessDown(() -> delegate.close(sessionId, epoch, info));
  }

  @Override
  public Future<Void> delete(String sessionId) {
    return delegate.delete(sessionId);
  }

  @Override
  public Future<List<Long>> closedBuckets(long now) {
    return delegate.closedBuckets(now);
  }

  @Override
  public Future<List<ClosedSession>> closedSessions(long bucket, String afterId, int limit) {
    return delegate.closedSessions(bucket, afterId, limit);
  }

  @Override
  public Future<java.util.List<String>> openSessionsOf(String owner, String afterId, int limit) {
    return unlessDown(() -> delegate.openSessionsOf(owner, afterId, limit));
  }

  @Override
  public Future<Void> shutdown() {
    return delegate.shutdown();
  }
}
