package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.Lease;
import dev.hachat.store.StoreException;
import dev.hachat.store.impl.CheckedLeases;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The leases in Cassandra's {@code leases} table, changed by lightweight transactions only (at the
 * store's {@code serial-consistency}): the first acquire is {@code INSERT … IF NOT EXISTS}, the
 * others {@code UPDATE … IF epoch = ? AND beat = ?}, renew and release {@code IF holder = ? AND
 * epoch = ?}. Reads are {@code SERIAL} (or {@code LOCAL_SERIAL}) too, so they see every change that
 * completed before them and finish one left half done.
 *
 * <p>A column cannot be raised in place under a condition, so a renew writes {@code beat = b + 1 IF
 * … AND beat = b}, with {@code b} the beat this object last saw for the lease; when that is out of
 * date, the failed LWT returns the current values and the renew tries once more with them (one LWT
 * per renew while a holder renews alone). Thread-safe; the last beats seen are only a guess.
 */
public final class CassandraLeases extends CheckedLeases {
  /** LWTs one renew makes at most when its guess of the beat keeps being out of date. */
  static final int RENEW_ATTEMPTS = 3;

  /** The statements, prepared on the store's membership session. */
  private record Prepared(
      PreparedStatement read,
      PreparedStatement first,
      PreparedStatement take,
      PreparedStatement renew,
      PreparedStatement release) {
    static Prepared prepare(CqlSession s, String table) {
      return new Prepared(
          s.prepare("SELECT holder, epoch, beat FROM " + table + " WHERE name = ?"),
          s.prepare(
              "INSERT INTO "
                  + table
                  + " (name, holder, epoch, beat) VALUES (?, ?, 1, 0) IF NOT EXISTS"),
          s.prepare(
              "UPDATE "
                  + table
                  + " SET holder = ?, epoch = ?, beat = 0 WHERE name = ? IF epoch = ? AND beat = ?"),
          s.prepare(
              "UPDATE "
                  + table
                  + " SET beat = ? WHERE name = ? IF holder = ? AND epoch = ? AND beat = ?"),
          s.prepare(
              "UPDATE " + table + " SET holder = '' WHERE name = ? IF holder = ? AND epoch = ?"));
    }
  }

  private final Prepared cql;
  private final DefaultConsistencyLevel serial;

  /**
   * Runs a statement on the store's membership session; the answer comes back on the caller's
   * context.
   */
  private final Function<BoundStatement, Future<AsyncResultSet>> run;

  private final ConcurrentHashMap<String, Lease> lastSeen = new ConcurrentHashMap<>();

  /** Prepares its statements on the store's membership session (blocking: not on an event loop). */
  public CassandraLeases(Vertx vertx, CassandraTranscriptStore store, CassandraStoreOptions o) {
    CqlSession session = store.membershipSession();
    this.cql = Prepared.prepare(session, o.getKeyspace() + ".leases");
    this.serial = DefaultConsistencyLevel.valueOf(o.getSerialConsistency());
    this.run = st -> Cql.future(vertx, session.executeAsync(st), up -> {});
  }

  @Override
  protected Future<Lease> readChecked(String name) {
    return run.apply(cql.read().bind(name).setIdempotent(true).setConsistencyLevel(serial))
        .map(rs -> lease(name, rs.one()));
  }

  @Override
  protected Future<Lease> acquireChecked(Lease expected, String holder) {
    String name = expected.name();
    long next = expected.epoch() + 1;
    BoundStatement cas =
        expected.epoch() == 0
            ? cql.first().bind(name, holder)
            : cql.take().bind(holder, next, name, expected.epoch(), expected.beat());
    return run.apply(cas)
        .compose(
            rs ->
                rs.wasApplied()
                    ? Future.succeededFuture(seen(new Lease(name, holder, next, 0)))
                    : conflict(name));
  }

  @Override
  protected Future<Lease> renewChecked(String name, String holder, long epoch) {
    Lease guess = lastSeen.get(name);
    long beat = guess != null && guess.heldBy(holder, epoch) ? guess.beat() : 0;
    return renew(name, holder, epoch, beat, RENEW_ATTEMPTS);
  }

  private Future<Lease> renew(String name, String holder, long epoch, long beat, int attempts) {
    return run.apply(cql.renew().bind(beat + 1, name, holder, epoch, beat))
        .compose(
            rs -> {
              if (rs.wasApplied()) {
                return Future.succeededFuture(seen(new Lease(name, holder, epoch, beat + 1)));
              }
              // Not applied: the row holds the values the conditions were checked against.
              Lease now = lease(name, rs.one());
              if (!now.heldBy(holder, epoch)) {
                return Future.failedFuture(StoreException.conflict(seen(now)));
              }
              if (attempts > 1) {
                return renew(name, holder, epoch, now.beat(), attempts - 1);
              }
              return Future.failedFuture(
                  StoreException.unavailable(
                      "lease " + name + " renewed by " + holder + " from elsewhere meanwhile",
                      null));
            });
  }

  @Override
  protected Future<Void> releaseChecked(String name, String holder, long epoch) {
    return run.apply(cql.release().bind(name, holder, epoch))
        .compose(
            rs -> {
              if (rs.wasApplied()) {
                lastSeen.remove(name);
                return Future.<Void>succeededFuture();
              }
              return conflict(name).mapEmpty();
            });
  }

  /** CONFLICT with the lease as a serial read finds it now. */
  private Future<Lease> conflict(String name) {
    return readChecked(name)
        .compose(now -> Future.failedFuture(StoreException.conflict(seen(now))));
  }

  private Lease seen(Lease lease) {
    lastSeen.put(lease.name(), lease);
    return lease;
  }

  /** The lease in {@code row} (absent when there is no row, or the row holds no lease). */
  private static Lease lease(String name, Row row) {
    if (row == null
        || !row.getColumnDefinitions().contains("epoch")
        || row.isNull("epoch")
        || row.isNull("holder")) {
      return Lease.absent(name);
    }
    boolean beat = row.getColumnDefinitions().contains("beat") && !row.isNull("beat");
    return new Lease(
        name, row.getString("holder"), row.getLong("epoch"), beat ? row.getLong("beat") : 0);
  }
}
