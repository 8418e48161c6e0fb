package dev.hachat.store.room;

/** The kinds of room entries (docs/rooms.md). */
public enum RoomEntryType {
  MESSAGE("Message"),
  MEMBER_JOINED("MemberJoined"),
  MEMBER_LEFT("MemberLeft"),
  NOTICE("Notice");

  private final String wireName;

  RoomEntryType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** The type of a wire name; {@link IllegalArgumentException} for an unknown one. */
  public static RoomEntryType fromWire(String name) {
    for (RoomEntryType t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown room entry type: " + name);
  }
}
