package dev.hachat.bench.chaos;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link ChaosCluster} for every chaos test class of this JVM (on the host's loopback: the
 * networked loop, {@code scripts/bench chaos --net}, is run outside the suite), handed to a test
 * method or a {@code @BeforeAll} method that takes a {@code ChaosCluster} parameter. Starting one
 * takes about a minute (three Cassandra nodes, PostgreSQL, three instances) and stopping it as long
 * again, so the first class that asks starts it and JUnit closes it (every process by PID) when the
 * whole run ends. A class must not assume the test-only fault the previous class left on: it sets
 * its own with {@link ChaosCluster#useTestFault}.
 */
final class SharedChaosCluster implements ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedChaosCluster.class);

  /** The log the shared cluster writes to (faults, restarts), one for the JVM like the cluster. */
  static final ChaosLog LOG = new ChaosLog();

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ChaosCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    // The root context's store: closed (ChaosCluster is AutoCloseable) when the run ends.
    return context
        .getRoot()
        .getStore(NAMESPACE)
        .getOrComputeIfAbsent(ChaosCluster.class, k -> start(), ChaosCluster.class);
  }

  private static ChaosCluster start() {
    try {
      return ChaosCluster.start(LOG);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("the chaos cluster did not start", e);
    }
  }
}
