package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.RoomStoreContract;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.room.RoomStores;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Vertx;

/** The room store contract, unchanged, against a real PostgreSQL (the JVM's shared server). */
class PgRoomStoreTest extends RoomStoreContract {
  @Override
  protected RoomStore createStore(Vertx vertx) throws Exception {
    return await(RoomStores.postgres(vertx, PostgresServer.shared().options()), SETUP_TIMEOUT);
  }
}
