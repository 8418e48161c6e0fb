package dev.hachat.systemtest;

import java.util.ArrayList;
import java.util.List;

/**
 * Clean-up of the process fixtures ({@link ClusterExtension}, {@link NetnsCluster}): steps run in
 * order and each runs even if one before failed; {@link #rethrow} then throws the first failure
 * with the others suppressed. Not thread-safe: one closing thread.
 */
final class Teardown {
  /** One clean-up step. */
  interface Step {
    void run() throws Exception;
  }

  private final List<Exception> failures = new ArrayList<>();

  /** Runs {@code s}, keeping its failure for {@link #rethrow}. */
  Teardown step(Step s) {
    try {
      s.run();
    } catch (Exception e) {
      failures.add(e);
    }
    return this;
  }

  /** Throws the first failure of the steps, the later ones suppressed in it; nothing if none. */
  void rethrow() throws Exception {
    if (!failures.isEmpty()) {
      Exception first = failures.get(0);
      failures.subList(1, failures.size()).forEach(first::addSuppressed);
      throw first;
    }
  }

  /**
   * Runs {@code start}; if it fails, runs {@code close} too (what did start must not outlive the
   * failure) and throws the start's failure with the close's suppressed.
   */
  static void startOrClose(Step start, Step close) throws Exception {
    try {
      start.run();
    } catch (Exception | Error e) {
      try {
        close.run();
      } catch (Exception c) {
        e.addSuppressed(c);
      }
      throw e;
    }
  }
}
