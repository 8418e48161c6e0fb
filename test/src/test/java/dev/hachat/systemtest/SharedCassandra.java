package dev.hachat.systemtest;

import dev.hachat.store.cassandra.CassandraCluster;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single-node Cassandra shared by the system tests of this JVM ({@link
 * CassandraCluster#shared()}); each test class keeps its data apart in a keyspace of its own. Tests
 * that stop or kill Cassandra nodes start their own cluster.
 */
final class SharedCassandra {
  private SharedCassandra() {}

  static CassandraCluster get() throws IOException, InterruptedException {
    return CassandraCluster.shared();
  }

  /** The system properties that point an instance at the shared node and a keyspace. */
  static Map<String, String> instanceProperties(String keyspace)
      throws IOException, InterruptedException {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("hachat.store.type", "cassandra");
    p.put("hachat.store.cassandra.contact-points", get().contactPoints().get(0));
    p.put("hachat.store.cassandra.keyspace", keyspace);
    p.put("hachat.store.cassandra.request-timeout", "5000");
    return p;
  }
}
