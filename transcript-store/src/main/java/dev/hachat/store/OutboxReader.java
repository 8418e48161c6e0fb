package dev.hachat.store;

import dev.hachat.store.impl.OutboxReaderImpl;
import dev.hachat.store.spi.TranscriptStore;
import dev.hachat.store.spi.TranscriptStore.ClosedSession;
import io.vertx.core.Future;
import java.util.List;

/**
 * Reads a store's outbox of final transcripts ({@link TranscriptStore#closedBuckets}, {@link
 * TranscriptStore#closedSessions}) pass by pass, so that no entry waits behind a backlog.
 *
 * <p>A pass visits the buckets round-robin, oldest first, starting with the one after the bucket
 * where the previous pass stopped, and reads one page from each after that bucket's own cursor (the
 * last id read there); a page shorter than asked for sets the cursor back to the bucket's start.
 * The pass ends when it has read its entries ({@link #DEFAULT_ROWS_PER_PASS} by default), or
 * visited every bucket, or made its reads ({@link #DEFAULT_READS_PER_PASS} by default). So a bucket
 * holding thousands of entries gives at most one page per pass and every other bucket is read
 * within as many passes as there are buckets, however large the backlog; an entry is seen again
 * within {@code ⌈n / 200⌉} rounds of the buckets, {@code n} being the entries of its bucket (with
 * the default 200 entries per pass).
 *
 * <p>A failed read ends the pass with what was read so far and the failure; the next pass starts
 * with the bucket after the failed one, which keeps its cursor, so one bucket that cannot be read
 * never stops the others.
 *
 * <p>One pass at a time: {@link #next} while a pass is running reads nothing. The reader's state is
 * touched only by the running pass, one callback after the other.
 */
public interface OutboxReader {

  /** The most entries a pass reads (the sweep's batch). */
  int DEFAULT_ROWS_PER_PASS = 200;

  /**
   * The most reads a pass makes: enough for every bucket of the default 48 h TTL (52 buckets) in
   * one pass; a longer TTL is covered over several passes.
   */
  int DEFAULT_READS_PER_PASS = 64;

  /** A reader with the default limits. */
  static OutboxReader create(TranscriptStore store) {
    return create(store, DEFAULT_ROWS_PER_PASS, DEFAULT_READS_PER_PASS);
  }

  static OutboxReader create(TranscriptStore store, int rowsPerPass, int readsPerPass) {
    return new OutboxReaderImpl(store, rowsPerPass, readsPerPass);
  }

  /** Reads the next pass of the outbox as it is at {@code now} (epoch milliseconds). */
  Future<Pass> next(long now);

  /**
   * What one pass read: the entries, in the order read, and the failure that ended it early, or
   * {@code null}.
   */
  record Pass(List<ClosedSession> entries, Throwable failure) {}
}
