package dev.hachat.store.room;

import dev.hachat.store.PostgresStoreOptions;
import dev.hachat.store.impl.memory.MemoryRoomStore;
import dev.hachat.store.impl.postgres.Pg;
import dev.hachat.store.impl.postgres.PgRoomStore;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/** Creates room store backends; callers never instantiate a backend class themselves. */
public final class RoomStores {
  private RoomStores() {}

  /** A fresh, empty in-memory room store (unit tests and single-process use only). */
  public static RoomStore inMemory() {
    return new MemoryRoomStore();
  }

  /**
   * Rooms in PostgreSQL, usable at once: the schema is migrated on first use (and on every use
   * until that worked), so a PostgreSQL that is down does not keep an instance from starting; room
   * requests are answered {@code STORE_UNAVAILABLE} meanwhile.
   */
  public static RoomStore postgresStartingAnyway(Vertx vertx, PostgresStoreOptions options) {
    return PgRoomStore.migratingOnUse(Pg.pool(vertx, options));
  }

  /** Rooms in PostgreSQL (the contact-history database), its schema migrated first. */
  public static Future<RoomStore> postgres(Vertx vertx, PostgresStoreOptions options) {
    Pool pool = Pg.pool(vertx, options);
    return Pg.migrate(pool)
        .<RoomStore>map(v -> new PgRoomStore(pool))
        .recover(e -> pool.close().transform(x -> Future.failedFuture(e)));
  }
}
