package dev.hachat.interaction.routing;

import java.util.Locale;
import java.util.Optional;

/** An agent's state as routing sees it (docs/agent-api.md). */
public enum AgentState {
  /** Takes offers while it has free capacity. */
  READY,
  /** Takes no offers; carries a reason code. */
  NOT_READY,
  /** Wrapping up after a chat ended; Ready again after {@code routing.after-call-work}. */
  AFTER_CALL_WORK;

  /** {@code Ready}, {@code NotReady}, {@code AfterCallWork}. */
  public String wireName() {
    return switch (this) {
      case READY -> "Ready";
      case NOT_READY -> "NotReady";
      case AFTER_CALL_WORK -> "AfterCallWork";
    };
  }

  public static Optional<AgentState> fromWire(String name) {
    if (name == null) {
      return Optional.empty();
    }
    for (AgentState s : values()) {
      if (s.wireName().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }
}
