package dev.hachat.store.impl.cassandra;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.TranscriptStoreContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Vertx;

/** The contract suite, unchanged, against a real single Cassandra node (the JVM's shared one). */
class CassandraTranscriptStoreTest extends TranscriptStoreContract {
  @Override
  protected TranscriptStore createStore(Vertx vertx) throws Exception {
    CassandraStoreOptions o = CassandraCluster.shared().storeOptions();
    return await(TranscriptStores.cassandra(vertx, o), SETUP_TIMEOUT).store();
  }
}
