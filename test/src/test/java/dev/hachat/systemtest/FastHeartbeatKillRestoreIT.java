package dev.hachat.systemtest;

import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The kill -9 scenario with the fastest supported lease timing: {@code ha.heartbeat-interval} 200
 * ms and {@code ha.heartbeat-timeout} 1 s (so an instance stops acknowledging 400 ms after the
 * start of its last good heartbeat, and a new lease is quarantined for 800 ms). The lease rules
 * scale with the interval (docs/consistency.md); this proves the same guarantees hold at that
 * setting, with the proactive restore on.
 */
class FastHeartbeatKillRestoreIT extends KillRestoreScenario {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("kill_restore_fast")
          .instances(3)
          .instanceProperty("hachat.ha.heartbeat-interval", "200")
          .instanceProperty("hachat.ha.heartbeat-timeout", "1000")
          .build();

  @Override
  ClusterExtension cluster() {
    return cluster;
  }
}
