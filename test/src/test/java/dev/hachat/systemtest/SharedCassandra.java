package dev.hachat.systemtest;

import dev.hachat.store.cassandra.CassandraCluster;
import java.io.IOException;

/**
 * One single-node Cassandra shared by the system tests of this JVM (starting one takes ~15 s); each
 * test class keeps its data apart in a keyspace of its own. Stopped by the fixture's shutdown hook
 * when the test JVM exits. Tests that stop or kill Cassandra nodes start their own cluster.
 */
final class SharedCassandra {
  private static CassandraCluster cluster;

  private SharedCassandra() {}

  static synchronized CassandraCluster get() throws IOException, InterruptedException {
    if (cluster == null) {
      cluster = CassandraCluster.start(1);
    }
    return cluster;
  }

  /** The system properties that point an instance at the shared node and a keyspace. */
  static java.util.Map<String, String> instanceProperties(String keyspace)
      throws IOException, InterruptedException {
    java.util.Map<String, String> p = new java.util.LinkedHashMap<>();
    p.put("hachat.store.type", "cassandra");
    p.put("hachat.store.cassandra.contact-points", get().contactPoints().get(0));
    p.put("hachat.store.cassandra.keyspace", keyspace);
    p.put("hachat.store.cassandra.request-timeout", "5000");
    return p;
  }
}
