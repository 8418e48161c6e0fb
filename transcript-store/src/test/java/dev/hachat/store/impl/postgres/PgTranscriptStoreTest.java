package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.TranscriptStoreContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Vertx;

/** The contract suite, unchanged, against a real PostgreSQL (UCS-only mode; the shared server). */
class PgTranscriptStoreTest extends TranscriptStoreContract {
  @Override
  protected TranscriptStore createStore(Vertx vertx) throws Exception {
    return await(TranscriptStores.postgres(vertx, PostgresServer.shared().options()), SETUP_TIMEOUT)
        .store();
  }
}
