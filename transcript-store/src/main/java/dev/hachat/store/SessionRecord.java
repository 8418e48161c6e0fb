package dev.hachat.store;

import java.util.Map;
import java.util.Objects;

/**
 * What a session is created with; never changes afterwards. Its user data changes later through
 * {@link EntryType#USER_DATA_UPDATED} entries: {@link UserData#current} gives the current one.
 *
 * @param id chat id (random, at least 128 bits)
 * @param createdAt milliseconds since the epoch, UTC
 * @param subject the customer's subject line, may be empty
 * @param userData key/value data from the widget at creation (GMS {@code userData[key]})
 */
public record SessionRecord(
    String id, long createdAt, String subject, Map<String, String> userData) {

  public SessionRecord {
    Objects.requireNonNull(id, "id");
    subject = subject == null ? "" : subject;
    userData = userData == null ? Map.of() : Map.copyOf(userData);
  }
}
