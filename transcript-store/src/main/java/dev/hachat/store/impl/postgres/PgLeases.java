package dev.hachat.store.impl.postgres;

import dev.hachat.store.Lease;
import dev.hachat.store.StoreException;
import dev.hachat.store.impl.CheckedLeases;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

/**
 * The leases in PostgreSQL's {@code chat_leases} (UCS-only mode). Each change is one statement
 * conditional on what it expects (epoch and beat, or holder and epoch): an {@code UPDATE … WHERE
 * epoch = $n …} that waits for a concurrent one and then finds the row changed, or the first
 * acquire's {@code INSERT … ON CONFLICT DO NOTHING}; the row count says whether it took effect.
 * Thread-safe.
 */
public final class PgLeases extends CheckedLeases {
  private static final String COLUMNS = "name, holder, epoch, beat";

  private final Pool pool;

  /** The leases in {@code pool}'s database; the pool belongs to the store, which closes it. */
  public PgLeases(Pool pool) {
    this.pool = pool;
  }

  @Override
  protected Future<Lease> acquireChecked(Lease expected, String holder) {
    String name = expected.name();
    if (expected.epoch() == 0) {
      return changed(
          name,
          pool.preparedQuery(
                  "INSERT INTO chat_leases ("
                      + COLUMNS
                      + ") VALUES ($1, $2, 1, 0) ON CONFLICT (name) DO NOTHING RETURNING "
                      + COLUMNS)
              .execute(Tuple.of(name, holder)));
    }
    return changed(
        name,
        pool.preparedQuery(
                "UPDATE chat_leases SET holder = $2, epoch = epoch + 1, beat = 0"
                    + " WHERE name = $1 AND epoch = $3 AND beat = $4 RETURNING "
                    + COLUMNS)
            .execute(Tuple.of(name, holder, expected.epoch(), expected.beat())));
  }

  @Override
  protected Future<Lease> renewChecked(String name, String holder, long epoch) {
    return updateHeld("beat = beat + 1", name, holder, epoch);
  }

  @Override
  protected Future<Void> releaseChecked(String name, String holder, long epoch) {
    return updateHeld("holder = ''", name, holder, epoch).mapEmpty();
  }

  /** {@code UPDATE … SET set} if {@code holder} still holds the lease at {@code epoch}. */
  private Future<Lease> updateHeld(String set, String name, String holder, long epoch) {
    return changed(
        name,
        pool.preparedQuery(
                "UPDATE chat_leases SET "
                    + set
                    + " WHERE name = $1 AND holder = $2 AND epoch = $3 RETURNING "
                    + COLUMNS)
            .execute(Tuple.of(name, holder, epoch)));
  }

  @Override
  protected Future<Lease> readChecked(String name) {
    return Pg.typed(
        pool.preparedQuery("SELECT " + COLUMNS + " FROM chat_leases WHERE name = $1")
            .execute(Tuple.of(name))
            .map(rows -> rows.size() == 0 ? Lease.absent(name) : lease(rows.iterator().next())),
        up -> {});
  }

  /** The row a conditional statement changed, or CONFLICT with the lease as it is now. */
  private Future<Lease> changed(String name, Future<RowSet<Row>> statement) {
    return Pg.typed(statement, up -> {})
        .compose(
            rows ->
                rows.rowCount() == 1
                    ? Future.succeededFuture(lease(rows.iterator().next()))
                    : readChecked(name)
                        .compose(l -> Future.failedFuture(StoreException.conflict(l))));
  }

  private static Lease lease(Row r) {
    return new Lease(
        r.getString("name"), r.getString("holder"), r.getLong("epoch"), r.getLong("beat"));
  }
}
