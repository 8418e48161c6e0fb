package dev.hachat.store;

import dev.hachat.store.impl.memory.MemoryInstanceRegistry;
import dev.hachat.store.impl.memory.MemoryLeases;
import dev.hachat.store.impl.memory.MemoryTranscriptStore;
import dev.hachat.store.spi.InstanceRegistry;
import dev.hachat.store.spi.Leases;
import dev.hachat.store.spi.TranscriptStore;

/** Creates store backends; callers never instantiate a backend class themselves. */
public final class TranscriptStores {

  private TranscriptStores() {}

  /** A fresh, empty in-memory store (unit tests and single-process use only). */
  public static TranscriptStore inMemory() {
    return new MemoryTranscriptStore();
  }

  /** A fresh, empty in-memory instance registry (one process only). */
  public static InstanceRegistry inMemoryRegistry() {
    return new MemoryInstanceRegistry();
  }

  /** Fresh, empty in-memory leases (one process only). */
  public static Leases inMemoryLeases() {
    return new MemoryLeases();
  }

  /**
   * A Cassandra store, its instance registry and its leases, connected (and the schema created if
   * asked).
   */
  public static io.vertx.core.Future<Backend> cassandra(
      io.vertx.core.Vertx vertx, CassandraStoreOptions options) {
    return dev.hachat.store.impl.cassandra.CassandraTranscriptStore.connect(vertx, options)
        .compose(
            s ->
                vertx.executeBlocking( // preparing statements blocks
                    () ->
                        new Backend(
                            s,
                            new dev.hachat.store.impl.cassandra.CassandraInstanceRegistry(
                                vertx, s, options.getKeyspace()),
                            new dev.hachat.store.impl.cassandra.CassandraLeases(
                                vertx, s, options))));
  }

  /**
   * The UCS-only backend: intermediate transcripts, ownership, the instance registry and the leases
   * in PostgreSQL (schema migrated first). The registry and the leases have their own small pool,
   * so heartbeats never wait behind the chats' writes.
   */
  public static io.vertx.core.Future<Backend> postgres(
      io.vertx.core.Vertx vertx, PostgresStoreOptions options) {
    io.vertx.sqlclient.Pool pool = dev.hachat.store.impl.postgres.Pg.pool(vertx, options);
    io.vertx.sqlclient.Pool membership =
        dev.hachat.store.impl.postgres.Pg.membershipPool(vertx, options);
    return dev.hachat.store.impl.postgres.Pg.migrate(pool)
        .map(
            v ->
                new Backend(
                    new dev.hachat.store.impl.postgres.PgTranscriptStore(pool, membership),
                    new dev.hachat.store.impl.postgres.PgInstanceRegistry(membership),
                    new dev.hachat.store.impl.postgres.PgLeases(membership)))
        .recover(
            e ->
                io.vertx.core.Future.join(pool.close(), membership.close())
                    .transform(x -> io.vertx.core.Future.failedFuture(e)));
  }

  /**
   * The backend {@code store.type} names: in memory, Cassandra ({@code store.cassandra}), or
   * UCS-only ({@code ucs} the contact-history PostgreSQL).
   */
  public static io.vertx.core.Future<Backend> open(
      io.vertx.core.Vertx vertx, StoreOptions store, PostgresStoreOptions ucs) {
    return switch (store.getType()) {
      case MEMORY ->
          io.vertx.core.Future.succeededFuture(
              new Backend(inMemory(), inMemoryRegistry(), inMemoryLeases()));
      case CASSANDRA -> cassandra(vertx, store.getCassandra());
      case UCS -> postgres(vertx, ucs);
    };
  }

  /**
   * A store and the instance registry and leases that live beside it (same database, closed with
   * the store).
   */
  public record Backend(TranscriptStore store, InstanceRegistry registry, Leases leases) {
    /**
     * A store and registry of one process (in memory, or tests' stand-ins for them) with fresh
     * in-memory leases. Never for a store that other processes share: its leases would not be.
     */
    public Backend(TranscriptStore store, InstanceRegistry registry) {
      this(store, registry, inMemoryLeases());
    }
  }
}
