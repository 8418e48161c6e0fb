package dev.hachat.systemtest;

import dev.hachat.store.cassandra.CassandraCluster;
import java.util.Map;

/** The store outage scenario with one Cassandra node, stopped and started again. */
class StoreOutageIT extends StoreOutageScenario {
  CassandraCluster cassandra;

  @Override
  Map<String, String> startStore() throws Exception {
    cassandra = CassandraCluster.start(1);
    return Map.of(
        "hachat.store.type", "cassandra",
        "hachat.store.cassandra.contact-points", cassandra.contactPoints().get(0),
        "hachat.store.cassandra.keyspace", "outage");
  }

  @Override
  void stopStore() throws Exception {
    cassandra.stopNode(1);
  }

  @Override
  void restartStore() throws Exception {
    cassandra.startNode(1);
  }

  @Override
  void closeStore() {
    if (cassandra != null) {
      cassandra.close();
    }
  }
}
