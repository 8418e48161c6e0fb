package dev.hachat.server.session;

/**
 * Tells the agent and interaction side about sessions waiting for an agent, and where restored ones
 * now live. Called on any thread; don't block.
 */
public interface EngineListener {
  /** Why a session stopped waiting; its wire name is the ESP {@code reason}. */
  enum Why {
    /** An agent joined it. */
    ACCEPTED,
    /** It ended. */
    CLOSED,
    /** It left this instance (fenced or handed over); it waits on at its next owner. */
    MOVED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** A session now waits for an agent (new, or its agent left). */
  void onWaiting(SessionSummary summary);

  /** A waiting session waits here no more. */
  void onNoLongerWaiting(String chatId, Why why);

  /**
   * An open session was restored here (after its owner died, a hand-over or an evacuation) and is
   * owned here at {@code epoch}.
   */
  default void onLocated(String chatId, long epoch) {}

  /**
   * {@code from} (a nickname), an agent in the chat, invites the agent {@code agentId} into it in
   * {@code mode} ({@code conference} or {@code consult}); the interaction side offers it.
   */
  default void onInvited(String chatId, String agentId, String mode, String from) {}
}
