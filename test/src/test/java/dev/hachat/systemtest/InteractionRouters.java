package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Which of a cluster's interaction servers say they route ({@code /health}'s {@code routing}). */
public final class InteractionRouters {
  private InteractionRouters() {}

  /** The interaction servers (by index) that route now; a dead one does not. */
  public static List<Integer> of(ClusterExtension cluster) {
    List<Integer> r = new ArrayList<>();
    for (int i = 0; i < cluster.interactions().size(); i++) {
      if (routes(cluster, i)) {
        r.add(i);
      }
    }
    return r;
  }

  /** True if interaction server {@code i} answers {@code /health} with {@code routing: true}. */
  public static boolean routes(ClusterExtension cluster, int i) {
    try {
      var res =
          await(
              cluster.http().get(cluster.interaction(i).port(), "127.0.0.1", "/health").send(),
              Duration.ofSeconds(5));
      return res.bodyAsJsonObject().getBoolean("routing", false);
    } catch (Exception e) {
      return false; // killed, or not listening yet
    }
  }
}
