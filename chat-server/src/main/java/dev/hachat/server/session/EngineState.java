package dev.hachat.server.session;

/**
 * Whether an instance takes new chats; {@link #wireName()} is the {@code state} of its instance
 * registry record and of {@code GET /health}. Current chats are served in every state.
 */
public enum EngineState {
  /** Takes new chats. */
  NORMAL("normal"),
  /** An operator disabled it: no new chats, current ones go on (docs/operations.md). */
  DISABLED("disabled"),
  /** Disabled and waiting for its chats to end, until a deadline (docs/operations.md). */
  DRAINING("draining"),
  /** Disabled and handing its chats to other instances now. */
  EVACUATING("evacuating"),
  /** The process is stopping: no new chats. */
  STOPPING("stopping");

  private final String wireName;

  EngineState(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }
}
