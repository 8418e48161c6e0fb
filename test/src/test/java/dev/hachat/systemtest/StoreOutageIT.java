package dev.hachat.systemtest;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The store outage scenario with one Cassandra node, stopped and started again. */
class StoreOutageIT extends StoreOutageScenario {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder().cassandra(1, "outage").instances(1).build();

  @Override
  ClusterExtension cluster() {
    return cluster;
  }

  @Override
  void stopStore() throws Exception {
    cluster.cassandra().stopNode(1);
  }

  @Override
  void restartStore() throws Exception {
    cluster.cassandra().startNode(1);
  }
}
