package dev.hachat.store.impl.cassandra;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.InstanceRegistryContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.store.impl.Rows;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;

/**
 * The registry contract against a real Cassandra node (the JVM's shared one, a keyspace of its
 * own). Time passes by writing each row again, values and all, with the TTL it would have left by
 * then; a row whose TTL would have run out gets one second and is waited for until Cassandra drops
 * it, so expiry is Cassandra's own.
 */
class CassandraInstanceRegistryTest extends InstanceRegistryContract {
  static final String KEYSPACE = "registry_contract";
  CassandraTranscriptStore store;

  @Override
  protected InstanceRegistry createRegistry(Vertx vertx) throws Exception {
    CassandraStoreOptions o = CassandraCluster.shared().storeOptions().setKeyspace(KEYSPACE);
    TranscriptStores.Backend backend = await(TranscriptStores.cassandra(vertx, o), SETUP_TIMEOUT);
    store = (CassandraTranscriptStore) backend.store();
    store.session().execute("TRUNCATE " + KEYSPACE + ".instances");
    return backend.registry();
  }

  @Override
  protected void age(Duration by) {
    CqlSession s = store.session();
    String table = KEYSPACE + ".instances";
    PreparedStatement rewrite =
        s.prepare(
            "INSERT INTO "
                + table
                + " ("
                + Rows.INSTANCE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) USING TTL ? AND TIMESTAMP ?");
    List<String> expiring = new ArrayList<>();
    for (Row row :
        s.execute(
            "SELECT "
                + Rows.INSTANCE_COLUMNS
                + ", TTL(heartbeat) AS ttl, WRITETIME(heartbeat) AS written FROM "
                + table)) {
      assertThat(row.isNull("ttl")).as("the registry's rows carry a TTL").isFalse();
      long left = row.getInt("ttl") - by.toSeconds();
      InstanceRecord r = Rows.instance(row::getString, row::getInt, row::getLong);
      List<Object> values = new ArrayList<>(List.of(Rows.instanceValues(r)));
      values.add((int) Math.max(1, left));
      values.add(row.getLong("written") + 1); // wins over the write it ages, loses to the next
      s.execute(rewrite.bind(values.toArray()));
      if (left <= 0) {
        expiring.add(r.instanceId());
      }
    }
    PreparedStatement one =
        s.prepare("SELECT instance_id FROM " + table + " WHERE instance_id = ?");
    for (String id : expiring) {
      Awaitility.await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> s.execute(one.bind(id)).one() == null);
    }
  }

  @Override
  protected void closeRegistry() throws Exception {
    if (store != null) {
      await(store.shutdown());
    }
  }
}
