package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.vertx.core.Future;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A table the store keeps beside its sessions (an index, the outbox): its statements prepared on
 * the store's session, run through the store's {@code run} (status reporting, back on a Vert.x
 * context), written with the store's TTL. Every statement of such a table is idempotent.
 * Thread-safe.
 */
abstract class CqlTable {
  /** What the tables of one store share. */
  record Store(
      CqlSession session,
      String keyspace,
      int ttl,
      Function<CompletionStage<AsyncResultSet>, Future<AsyncResultSet>> run) {}

  /** The TTL, in seconds, of every row written. */
  protected final int ttl;

  private final Store store;

  protected CqlTable(Store store) {
    this.store = store;
    this.ttl = store.ttl();
  }

  /** The full name of a table of the store's keyspace. */
  protected final String table(String name) {
    return store.keyspace() + "." + name;
  }

  protected final PreparedStatement prepare(String cql) {
    return store.session().prepare(cql);
  }

  protected final Future<AsyncResultSet> execute(BoundStatement statement) {
    return store.run().apply(store.session().executeAsync(statement.setIdempotent(true)));
  }
}
