package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.InstanceRegistryContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;

/**
 * The registry contract against a real PostgreSQL (UCS-only mode; the JVM's shared server). Time
 * passes by moving each row's {@code updated_at} back, which is all the registry's expiry looks at.
 */
class PgInstanceRegistryTest extends InstanceRegistryContract {
  TranscriptStores.Backend backend;
  Pool admin;

  @Override
  protected InstanceRegistry createRegistry(Vertx vertx) throws Exception {
    PostgresServer server = PostgresServer.shared();
    backend = await(TranscriptStores.postgres(vertx, server.options()), SETUP_TIMEOUT);
    admin = Pg.pool(vertx, server.options()); // moves the rows' time back
    await(admin.query("DELETE FROM chat_instances").execute());
    return backend.registry();
  }

  @Override
  protected void age(Duration by) throws Exception {
    await(
        admin
            .preparedQuery(
                "UPDATE chat_instances SET updated_at = updated_at - make_interval(secs => $1)")
            .execute(Tuple.of(by.toMillis() / 1000.0)));
  }

  @Override
  protected void closeRegistry() throws Exception {
    if (admin != null) {
      await(admin.close());
    }
    if (backend != null) {
      await(backend.store().shutdown());
    }
  }
}
