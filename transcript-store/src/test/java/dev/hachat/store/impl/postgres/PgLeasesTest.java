package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.LeasesContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.spi.Leases;
import io.vertx.core.Vertx;

/** The leases contract against a real PostgreSQL (UCS-only mode; the JVM's shared server). */
class PgLeasesTest extends LeasesContract {
  TranscriptStores.Backend backend;

  @Override
  protected Leases createLeases(Vertx vertx) throws Exception {
    backend =
        await(TranscriptStores.postgres(vertx, PostgresServer.shared().options()), SETUP_TIMEOUT);
    return backend.leases();
  }

  @Override
  protected void closeLeases() throws Exception {
    if (backend != null) {
      await(backend.store().shutdown());
    }
  }
}
