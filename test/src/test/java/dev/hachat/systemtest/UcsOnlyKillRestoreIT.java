package dev.hachat.systemtest;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kill -9 scenario in UCS-only mode: no Cassandra; intermediate transcripts, ownership and the
 * instance registry live in PostgreSQL, which also gets the final transcripts.
 */
class UcsOnlyKillRestoreIT extends KillRestoreScenario {
  @RegisterExtension
  static final ClusterExtension cluster = ClusterExtension.builder().ucsOnly().instances(3).build();

  @Override
  ClusterExtension cluster() {
    return cluster;
  }
}
