package dev.hachat.systemtest;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The kill -9 scenario with Cassandra as the store (one node). */
class KillRestoreIT extends KillRestoreScenario {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder().sharedCassandra("kill_restore").instances(3).build();

  @Override
  ClusterExtension cluster() {
    return cluster;
  }
}
