package dev.hachat.server.session;

import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.HaOptions;
import java.util.Objects;

/**
 * How an engine takes part in a cluster, fixed when it is created ({@link ChatEngine#create}).
 *
 * <ul>
 *   <li>{@link #standAlone()}: one instance and no membership. Every create and acknowledgement is
 *       allowed, a chat this instance does not hold is not found, a chat cannot be handed over, and
 *       a fenced copy is dropped.
 *   <li>{@link #cluster}: acknowledgements need this instance's lease and new ownership needs its
 *       quarantine over (docs/consistency.md, R2 and R7); with {@code session-restoration-mode:
 *       simple} a chat this instance does not hold is restored from the store; chats are handed to
 *       survivors within {@code ops.hand-over-timeout}. The membership's lease-lost callback must
 *       call {@link ChatEngine#onLeaseLost()}.
 * </ul>
 */
public sealed interface Ha permits Ha.StandAlone, Ha.Cluster {

  /** A single instance, no cluster. */
  static Ha standAlone() {
    return StandAlone.INSTANCE;
  }

  /**
   * A member of a cluster.
   *
   * @param handOverTimeoutMillis how long one hand-over may take ({@code ops.hand-over-timeout})
   */
  static Ha cluster(Membership membership, HaOptions options, long handOverTimeoutMillis) {
    return new Cluster(membership, options, handOverTimeoutMillis);
  }

  /** See {@link #standAlone()}. */
  enum StandAlone implements Ha {
    INSTANCE
  }

  /** See {@link #cluster}. */
  record Cluster(Membership membership, HaOptions options, long handOverTimeoutMillis)
      implements Ha {
    public Cluster {
      Objects.requireNonNull(membership, "membership");
      Objects.requireNonNull(options, "options");
    }
  }
}
