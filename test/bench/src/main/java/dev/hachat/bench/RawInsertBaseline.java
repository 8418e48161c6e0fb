package dev.hachat.bench;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;

/**
 * The physical baselines, with the driver alone into the same Cassandra, 64 in flight, at
 * LOCAL_QUORUM: async inserts of transcript-sized rows (about 120 bytes of text, one partition per
 * chat; every chat throughput figure is also given as a ratio to this one), and lightweight
 * transactions ({@code INSERT … IF NOT EXISTS} of a new partition each, the compare-and-set a new
 * chat or a claim costs).
 */
final class RawInsertBaseline {
  private RawInsertBaseline() {}

  /** Inserts per second, measured for {@code seconds} after one second of warm-up. */
  static double run(String contactPoint, String dc, int seconds) throws Exception {
    try (CqlSession s = session(contactPoint, dc)) {
      PreparedStatement insert = prepareEntryInsert(s);
      String text = "x".repeat(120);
      return rate(
          seconds,
          i ->
              s.executeAsync(
                  insert
                      .bind("chat-" + (i % 1000), i, text, System.currentTimeMillis(), "m" + i)
                      .setIdempotent(true)));
    }
  }

  /** Applied LWTs per second (each a new partition), for {@code seconds} after one of warm-up. */
  static double lwt(String contactPoint, String dc, int seconds) throws Exception {
    try (CqlSession s = session(contactPoint, dc)) {
      PreparedStatement insert =
          s.prepare(
              "INSERT INTO bench_raw.raw_entries (session_id, idx, epoch, type, participant_id,"
                  + " text, utc_time, client_message_id) VALUES (?, 0, 1, 'Joined', 'p1', '', ?,"
                  + " null) IF NOT EXISTS");
      String run = Long.toString(System.nanoTime(), 36);
      return rate(
          seconds,
          i -> s.executeAsync(insert.bind("lwt-" + run + "-" + i, System.currentTimeMillis())));
    }
  }

  /**
   * Latency of transcript-sized inserts sent at {@code perSecond} (open loop: on schedule whatever
   * the answers do) for {@code seconds} after {@code seconds / 3} of warm-up, in microseconds.
   */
  static org.HdrHistogram.Histogram latencyAt(
      String contactPoint, String dc, double perSecond, int seconds) throws Exception {
    try (CqlSession s = session(contactPoint, dc)) {
      PreparedStatement insert = prepareEntryInsert(s);
      String text = "x".repeat(120);
      org.HdrHistogram.Histogram h = new org.HdrHistogram.Histogram(60_000_000L, 3);
      long warm = TimeUnit.SECONDS.toNanos(Math.max(1, seconds / 3));
      long start = System.nanoTime();
      long end = start + warm + TimeUnit.SECONDS.toNanos(seconds);
      AtomicLong outstanding = new AtomicLong();
      long i = 0;
      for (long now = start; now < end; now = System.nanoTime()) {
        long due = (long) ((now - start) / 1e9 * perSecond);
        boolean counted = now - start >= warm;
        for (; i < due; i++) {
          long t0 = System.nanoTime();
          outstanding.incrementAndGet();
          s.executeAsync(
                  insert
                      .bind("lat-" + (i % 10_000), i, text, System.currentTimeMillis(), "m" + i)
                      .setIdempotent(true))
              .whenComplete(
                  (r, e) -> {
                    if (counted && e == null) {
                      synchronized (h) {
                        h.recordValue(Math.max(1, (System.nanoTime() - t0) / 1000));
                      }
                    }
                    outstanding.decrementAndGet();
                  });
        }
        TimeUnit.MILLISECONDS.sleep(1); // the send schedule's tick, not a wait for an answer
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (outstanding.get() > 0 && System.nanoTime() < until) {
        TimeUnit.MILLISECONDS.sleep(10);
      }
      synchronized (h) {
        return h.copy();
      }
    }
  }

  /** A transcript-sized message row: session, index, text, time, client message id. */
  private static PreparedStatement prepareEntryInsert(CqlSession s) {
    return s.prepare(
        "INSERT INTO bench_raw.raw_entries (session_id, idx, epoch, type, participant_id, text,"
            + " utc_time, client_message_id) VALUES (?, ?, 1, 'Message', 'p1', ?, ?, ?)");
  }

  private static CqlSession session(String contactPoint, String dc) {
    int colon = contactPoint.lastIndexOf(':');
    CqlSession s =
        CqlSession.builder()
            .addContactPoint(
                new InetSocketAddress(
                    contactPoint.substring(0, colon),
                    Integer.parseInt(contactPoint.substring(colon + 1))))
            .withLocalDatacenter(dc)
            .build();
    s.execute(
        "CREATE KEYSPACE IF NOT EXISTS bench_raw WITH replication ="
            + " {'class': 'SimpleStrategy', 'replication_factor': 1}");
    s.execute(
        com.datastax.oss.driver.api.core.cql.SimpleStatement.newInstance(
                "CREATE TABLE IF NOT EXISTS bench_raw.raw_entries (session_id text, idx bigint,"
                    + " epoch bigint, type text, participant_id text, text text,"
                    + " utc_time bigint, client_message_id text,"
                    + " PRIMARY KEY ((session_id), idx, epoch))")
            .setTimeout(Duration.ofSeconds(30)));
    return s;
  }

  /** Completions per second of {@code op(i)}, 64 in flight, counted after one second. */
  private static double rate(int seconds, LongFunction<CompletionStage<?>> op) throws Exception {
    Semaphore inFlight = new Semaphore(64);
    AtomicLong done = new AtomicLong();
    AtomicLong failed = new AtomicLong();
    long start = System.nanoTime();
    long warm = start + TimeUnit.SECONDS.toNanos(1);
    long end = warm + TimeUnit.SECONDS.toNanos(seconds);
    long countedFrom = -1;
    long i = 0;
    while (System.nanoTime() < end) {
      if (countedFrom < 0 && System.nanoTime() >= warm) {
        countedFrom = done.get();
      }
      inFlight.acquire();
      i++;
      op.apply(i)
          .whenComplete(
              (r, e) -> {
                if (e == null) {
                  done.incrementAndGet();
                } else {
                  failed.incrementAndGet();
                }
                inFlight.release();
              });
    }
    long counted = done.get() - Math.max(0, countedFrom);
    inFlight.acquire(64);
    if (failed.get() > 0) {
      System.out.println("baseline: " + failed.get() + " requests failed");
    }
    return counted / (double) seconds;
  }
}
