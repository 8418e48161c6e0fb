package dev.hachat.systemtest;

import java.util.Map;

/** The kill -9 scenario with Cassandra as the store (one node). */
class KillRestoreIT extends KillRestoreScenario {
  @Override
  Map<String, String> instanceProperties() throws Exception {
    return SharedCassandra.instanceProperties("kill_restore");
  }
}
