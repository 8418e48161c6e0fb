package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import java.util.Map;

/**
 * User-data keys under {@value #PREFIX} belong to the interaction side (a transfer's target, the
 * routing counts, the disposition code): a customer may not set them, at chat request or later, or
 * it could route its chat to an agent of its choice or forge the statistics.
 */
public final class ReservedKeys {
  public static final String PREFIX = "hachat.";

  private ReservedKeys() {}

  /** BAD_REQUEST if {@code data} sets a reserved key. */
  public static void refuse(Map<String, String> data) {
    for (String key : data.keySet()) {
      if (key.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        throw ChatException.badRequest(
            "user-data keys starting with '" + PREFIX + "' are the interaction server's: " + key);
      }
    }
  }
}
