package dev.hachat.store;

/** The kinds of transcript entry. {@link #wireName()} is the name clients see (GMS style). */
public enum EntryType {
  PARTICIPANT_JOINED("ParticipantJoined"),
  PARTICIPANT_LEFT("ParticipantLeft"),
  MESSAGE("Message"),
  NOTICE("Notice"),
  CUSTOM_NOTICE("CustomNotice"),
  TYPING_STARTED("TypingStarted"),
  TYPING_STOPPED("TypingStopped");

  private final String wireName;

  EntryType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Messages are the entries whose save is awaited before the sender is acknowledged. */
  public boolean isMessage() {
    return this == MESSAGE || this == CUSTOM_NOTICE;
  }

  public static EntryType fromWireName(String name) {
    for (EntryType t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown entry type: " + name);
  }
}
