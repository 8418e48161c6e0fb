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
}
