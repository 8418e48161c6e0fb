package dev.hachat.store.impl.memory;

import dev.hachat.store.RoomStoreContract;
import dev.hachat.store.room.RoomStores;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Vertx;

/** The room store contract against the in-memory backend. */
class MemoryRoomStoreTest extends RoomStoreContract {
  @Override
  protected RoomStore createStore(Vertx vertx) {
    return RoomStores.inMemory();
  }
}
