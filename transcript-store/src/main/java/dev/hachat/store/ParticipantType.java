package dev.hachat.store;

/** Who a participant is. {@link #wireName()} is the name clients see (GMS style). */
public enum ParticipantType {
  CLIENT("Client"),
  AGENT("Agent"),
  SUPERVISOR("Supervisor"),
  EXTERNAL("External"),
  /** The chat server itself: notices it writes (restore, inactivity alert). */
  SYSTEM("System");

  private final String wireName;

  ParticipantType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public static ParticipantType fromWireName(String name) {
    for (ParticipantType t : values()) {
      if (t.wireName.equalsIgnoreCase(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown participant type: " + name);
  }
}
