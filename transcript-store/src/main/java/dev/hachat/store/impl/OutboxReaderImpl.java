package dev.hachat.store.impl;

import dev.hachat.store.OutboxReader;
import dev.hachat.store.spi.TranscriptStore;
import dev.hachat.store.spi.TranscriptStore.ClosedSession;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The round-robin walk of {@link OutboxReader}. Its fields are touched only by the running pass
 * (guarded by {@link #running}), one store callback after the other.
 */
public final class OutboxReaderImpl implements OutboxReader {
  private final TranscriptStore store;
  private final int rowsPerPass;
  private final int readsPerPass;
  private final AtomicBoolean running = new AtomicBoolean();

  /** Per bucket, the last id a full page ended with; a bucket not here is read from its start. */
  private final Map<Long, String> cursors = new HashMap<>();

  /** The next pass starts with the first bucket at or after this one (or wraps to the oldest). */
  private long resumeAt = Long.MIN_VALUE;

  public OutboxReaderImpl(TranscriptStore store, int rowsPerPass, int readsPerPass) {
    if (rowsPerPass < 1 || readsPerPass < 1) {
      throw new IllegalArgumentException("rowsPerPass and readsPerPass must be >= 1");
    }
    this.store = store;
    this.rowsPerPass = rowsPerPass;
    this.readsPerPass = readsPerPass;
  }

  @Override
  public Future<Pass> next(long now) {
    if (!running.compareAndSet(false, true)) {
      return Future.succeededFuture(new Pass(List.of(), null));
    }
    Future<Pass> pass;
    try {
      pass = store.closedBuckets(now).compose(this::walk);
    } catch (RuntimeException e) {
      pass = Future.failedFuture(e);
    }
    return pass.onComplete(ar -> running.set(false));
  }

  private Future<Pass> walk(List<Long> buckets) {
    cursors.keySet().retainAll(buckets);
    int start = 0;
    while (start < buckets.size() && buckets.get(start) < resumeAt) {
      start++;
    }
    List<Long> order = new ArrayList<>(buckets.subList(start, buckets.size()));
    order.addAll(buckets.subList(0, start));
    List<ClosedSession> read = new ArrayList<>();
    return visit(order.subList(0, Math.min(order.size(), readsPerPass)), 0, read);
  }

  private Future<Pass> visit(List<Long> order, int i, List<ClosedSession> read) {
    if (i == order.size() || read.size() >= rowsPerPass) {
      return Future.succeededFuture(new Pass(read, null));
    }
    long bucket = order.get(i);
    int limit = rowsPerPass - read.size();
    resumeAt = bucket + 1;
    Future<List<ClosedSession>> page;
    try {
      page = store.closedSessions(bucket, cursors.getOrDefault(bucket, ""), limit);
    } catch (RuntimeException e) {
      page = Future.failedFuture(e);
    }
    return page.transform(
        ar -> {
          if (ar.failed()) {
            return Future.succeededFuture(new Pass(read, ar.cause()));
          }
          List<ClosedSession> got = ar.result();
          if (got.size() < limit) {
            cursors.remove(bucket);
          } else {
            cursors.put(bucket, got.get(got.size() - 1).sessionId());
          }
          read.addAll(got);
          return visit(order, i + 1, read);
        });
  }
}
