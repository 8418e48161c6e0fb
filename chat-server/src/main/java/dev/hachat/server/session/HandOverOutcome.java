package dev.hachat.server.session;

/** What became of one chat asked to move to another instance ({@link ChatEngine#handOver}). */
public enum HandOverOutcome {
  /** Saved, its ownership released in the store, and dropped here: a survivor takes it. */
  HANDED_OVER,
  /** Nothing to hand over: the chat closed, or was no longer held here. */
  NOT_LIVE,
  /** It stays here: its last saves or the release did not complete (logged). */
  FAILED
}
