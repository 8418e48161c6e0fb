package dev.hachat.server.session;

import dev.hachat.server.config.HaOptions;
import dev.hachat.server.testing.InProcessNode;
import dev.hachat.server.testing.TestNodes;
import org.junit.jupiter.api.AfterEach;

/**
 * Engines of several instances in one JVM ({@link TestNodes}) over one {@link ControllableStore},
 * on one hand-moved clock.
 */
abstract class ClusterTestBase {
  protected final ControllableStore store = new ControllableStore();
  protected final TestNodes nodes = TestNodes.over(store);
  protected final HaOptions ha = nodes.ha(); // interval 500 ms, timeout 3000 ms

  @AfterEach
  final void closeNodes() throws Exception {
    nodes.close();
  }

  protected InProcessNode node(String id) throws Exception {
    return nodes.node(id);
  }

  /** Moves the clock and lets the given (living) nodes heartbeat and poll. */
  protected void advance(long millis, InProcessNode... alive) throws Exception {
    nodes.advance(millis, alive);
  }

  /** Lets the given nodes tick once without moving the clock (a resumed process's first tick). */
  protected void tickNow(InProcessNode... alive) throws Exception {
    nodes.tickNow(alive);
  }
}
