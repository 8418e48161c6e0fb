package dev.hachat.server.session;

/** How an agent comes into a chat (docs/engine.md, "Several agents"). */
public enum JoinMode {
  /** The accept of a waiting chat: the one agent; a second gets ALREADY_TAKEN. */
  EXCLUSIVE,
  /** Invited beside the agent there (a conference); everyone sees the join. */
  CONFERENCE,
  /**
   * Invited to consult: joins beside the agent there, and its join is an internal entry the
   * customer does not see (its lines are sent internal by its desktop's server).
   */
  CONSULT
}
