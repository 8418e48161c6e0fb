package dev.hachat.store.room;

import java.util.Locale;

/** A member's role in a room: the creator owns it, moderators add members, members post. */
public enum RoomRole {
  OWNER,
  MODERATOR,
  MEMBER;

  /** The name on the wire and in the store: {@code owner}, {@code moderator}, {@code member}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The role of a wire name; {@link IllegalArgumentException} for an unknown one. */
  public static RoomRole fromWire(String name) {
    for (RoomRole r : values()) {
      if (r.wireName().equals(name)) {
        return r;
      }
    }
    throw new IllegalArgumentException("unknown room role: " + name);
  }

  /** Whether this role may add members to the room. */
  public boolean mayInvite() {
    return this != MEMBER;
  }
}
