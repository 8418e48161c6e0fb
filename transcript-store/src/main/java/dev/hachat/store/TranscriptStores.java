package dev.hachat.store;

import dev.hachat.store.impl.memory.MemoryInstanceRegistry;
import dev.hachat.store.impl.memory.MemoryTranscriptStore;
import dev.hachat.store.spi.InstanceRegistry;
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

  /** A Cassandra store and its instance registry, connected (and the schema created if asked). */
  public static io.vertx.core.Future<Cassandra> cassandra(
      io.vertx.core.Vertx vertx, CassandraStoreOptions options) {
    return dev.hachat.store.impl.cassandra.CassandraTranscriptStore.connect(vertx, options)
        .map(
            s ->
                new Cassandra(
                    s,
                    new dev.hachat.store.impl.cassandra.CassandraInstanceRegistry(
                        vertx, s, options.getKeyspace())));
  }

  /** A store and the instance registry that lives beside it (same database). */
  public record Cassandra(TranscriptStore store, InstanceRegistry registry) {}
}
