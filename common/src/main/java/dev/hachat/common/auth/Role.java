package dev.hachat.common.auth;

import java.util.Locale;
import java.util.Optional;

/** What a caller may do. Wire and config names are the lower-case names. */
public enum Role {
  /** Answers chats: may act only in chats it joined or was offered. */
  AGENT,
  /** May observe any chat and barge in. */
  SUPERVISOR,
  /** The interaction side: lists and routes chats, may stop interactions. */
  WORKFLOW,
  /** Operates instances: state changes and transcript reads on the admin port. */
  OPERATOR,
  /** Another hachat process (instance, web API server, interaction server). */
  PEER;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromWire(String name) {
    for (Role r : values()) {
      if (r.wireName().equals(name)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
