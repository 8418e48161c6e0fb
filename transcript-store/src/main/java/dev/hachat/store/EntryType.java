package dev.hachat.store;

/** The kinds of transcript entry. {@link #wireName()} is the name clients see (GMS style). */
public enum EntryType {
  PARTICIPANT_JOINED("ParticipantJoined"),
  PARTICIPANT_LEFT("ParticipantLeft"),
  MESSAGE("Message"),
  NOTICE("Notice"),
  CUSTOM_NOTICE("CustomNotice"),
  TYPING_STARTED("TypingStarted"),
  TYPING_STOPPED("TypingStopped"),
  /**
   * A participant changed its nickname; {@code nickname} is the new one, and so is {@code text}.
   */
  NICKNAME_UPDATED("NicknameUpdated"),
  /**
   * The session's user data changed; {@code text} is a JSON object of the keys set (see {@link
   * UserData}).
   */
  USER_DATA_UPDATED("UserDataUpdated");

  private final String wireName;

  EntryType(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  /** Messages: what a participant sends with a {@code clientMessageId}. */
  public boolean isMessage() {
    return this == MESSAGE || this == CUSTOM_NOTICE;
  }

  /**
   * The entries whose save is awaited before the requester is acknowledged at {@code
   * transcript-auto-save: 1}: messages, and the changes of session state a client asked for
   * (nickname, user data), since a restore must find what was acknowledged.
   */
  public boolean savedBeforeAcknowledged() {
    return isMessage() || this == NICKNAME_UPDATED || this == USER_DATA_UPDATED;
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
