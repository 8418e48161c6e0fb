package dev.hachat.store.impl.memory;

import dev.hachat.store.TranscriptStoreContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Vertx;

class MemoryTranscriptStoreTest extends TranscriptStoreContract {
  @Override
  protected TranscriptStore createStore(Vertx vertx) {
    return TranscriptStores.inMemory();
  }
}
