package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.TranscriptStoreContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract suite, unchanged, against a real PostgreSQL (UCS-only mode). */
class PgTranscriptStoreTest extends TranscriptStoreContract {
  static PostgresServer server;

  @BeforeAll
  static void startPostgres() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    server.close();
  }

  @Override
  protected TranscriptStore createStore(Vertx vertx) throws Exception {
    return await(TranscriptStores.postgres(vertx, server.options()), SETUP_TIMEOUT).store();
  }
}
