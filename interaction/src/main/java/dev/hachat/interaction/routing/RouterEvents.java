package dev.hachat.interaction.routing;

/**
 * What the router tells the agent side and the metrics. Called on the router's context; an
 * implementation must not block and must not call back into the router synchronously.
 */
public interface RouterEvents {
  /** Offer {@code offer} to its agent. */
  void offer(Offer offer);

  /**
   * The offer is withdrawn: {@code timeout} (not answered in time), {@code gone} (the chat left the
   * queue: accepted elsewhere, or the customer left) or {@code offline} (the agent dropped).
   */
  void revoked(Offer offer, String reason);

  /** The agent's state changed (by the router: missed offers, after-call work ending). */
  void stateChanged(String agentId, AgentState state, String reason);

  /** A chat started waiting in {@code queue}. */
  default void queued(String queue) {}

  /** An offer was made. */
  default void offered(String queue) {}

  /** A chat was accepted after waiting {@code waitedMs} in the queue. */
  default void accepted(String queue, long waitedMs) {}

  /** An offer was rejected. */
  default void rejected(String queue) {}

  /** An offer timed out. */
  default void timedOut(String queue) {}

  /** A chat left the queue because its customer left (or it ended) before an agent took it. */
  default void abandoned(String queue, long waitedMs) {}

  /** The agent left {@code state} after {@code millis} in it. */
  default void stateTime(AgentState state, long millis) {}
}
