package dev.hachat.store.impl.cassandra;

import static dev.hachat.testing.Await.await;

import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.TranscriptStoreContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract suite, unchanged, against a real single Cassandra node. */
class CassandraTranscriptStoreTest extends TranscriptStoreContract {
  static CassandraCluster cluster;

  @BeforeAll
  static void startCassandra() throws Exception {
    cluster = CassandraCluster.start(1);
  }

  @AfterAll
  static void stopCassandra() {
    cluster.close();
  }

  @Override
  protected TranscriptStore createStore(Vertx vertx) throws Exception {
    CassandraStoreOptions o =
        new CassandraStoreOptions()
            .setContactPoints(cluster.contactPoints())
            .setLocalDatacenter(cluster.datacenter())
            .setRequestTimeout(10_000);
    return await(TranscriptStores.cassandra(vertx, o), SETUP_TIMEOUT).store();
  }
}
