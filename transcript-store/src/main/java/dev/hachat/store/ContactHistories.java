package dev.hachat.store;

import dev.hachat.store.impl.postgres.Pg;
import dev.hachat.store.impl.postgres.PgContactHistory;
import dev.hachat.store.spi.ContactHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** Creates contact-history (UCS) backends. */
public final class ContactHistories {
  private ContactHistories() {}

  /** The contact history in PostgreSQL, with its schema migrated first. */
  public static Future<ContactHistory> postgres(Vertx vertx, PostgresStoreOptions options) {
    Pool pool = Pg.pool(vertx, options);
    return Pg.migrate(pool)
        .<ContactHistory>map(v -> new PgContactHistory(pool))
        .recover(e -> pool.close().transform(x -> Future.failedFuture(e)));
  }

  /**
   * The contact history in PostgreSQL, usable at once: the schema is migrated on first use (and on
   * every use until that worked), so a PostgreSQL that is down does not keep an instance from
   * starting; final writes fail with UNAVAILABLE and are retried meanwhile.
   */
  public static ContactHistory postgresStartingAnyway(Vertx vertx, PostgresStoreOptions options) {
    return PgContactHistory.migratingOnUse(Pg.pool(vertx, options));
  }
}
