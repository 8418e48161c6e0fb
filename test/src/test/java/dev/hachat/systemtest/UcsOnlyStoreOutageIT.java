package dev.hachat.systemtest;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The store outage scenario in UCS-only mode: PostgreSQL (intermediate transcripts, ownership,
 * registry and contact history) stopped and started again.
 */
class UcsOnlyStoreOutageIT extends StoreOutageScenario {
  @RegisterExtension
  static final ClusterExtension cluster = ClusterExtension.builder().ucsOnly().instances(1).build();

  @Override
  ClusterExtension cluster() {
    return cluster;
  }

  @Override
  void stopStore() throws Exception {
    cluster.postgres().stop();
  }

  @Override
  void restartStore() throws Exception {
    cluster.postgres().startAgain();
  }
}
