package dev.hachat.store;

/**
 * Who may read an entry (the Genesys message visibility). {@link #wireName()} is the name on every
 * port and in the stores.
 */
public enum Visibility {
  /** Every participant: the customer too. The default. */
  ALL("All"),
  /**
   * Internal: agents and supervisors only, never the customer or an external party (a consult
   * between agents about the chat).
   */
  INT("Int");

  private final String wireName;

  Visibility(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Whether a participant of {@code type} may read an entry of this visibility. */
  public boolean visibleTo(ParticipantType type) {
    return this == ALL
        || type == ParticipantType.AGENT
        || type == ParticipantType.SUPERVISOR
        || type == ParticipantType.SYSTEM;
  }

  /**
   * {@code null} or empty (a row written before visibility existed) is {@link #ALL}; a name this
   * version does not know (a later version's narrower visibility) is {@link #INT}: fail safe, a
   * customer never reads it.
   */
  public static Visibility fromWireName(String name) {
    if (name == null || name.isEmpty()) {
      return ALL;
    }
    for (Visibility v : values()) {
      if (v.wireName.equalsIgnoreCase(name)) {
        return v;
      }
    }
    return INT;
  }

  /** A wire name given by a client: All or Int, anything else IllegalArgumentException. */
  public static Visibility parse(String name) {
    for (Visibility v : values()) {
      if (v.wireName.equalsIgnoreCase(name)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown visibility: " + name);
  }
}
