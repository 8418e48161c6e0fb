package dev.hachat.server.session;

/** Tells the agent side about sessions waiting for an agent. Called on any thread; don't block. */
public interface EngineListener {
  /** A session now waits for an agent (new, or its agent left). */
  void onWaiting(SessionSummary summary);

  /** A waiting session got its agent, or closed: it waits no more. */
  void onNoLongerWaiting(String chatId);
}
