package dev.hachat.interaction.routing;

/** How the accept of an answered offer at the chat's instance ended. */
public enum AcceptOutcome {
  /** The agent is in the chat. */
  JOINED,
  /** Somebody else has it, or it ended: it leaves the queue. */
  GONE,
  /** It could not be done now (no instance answered…): the chat waits on. */
  FAILED
}
