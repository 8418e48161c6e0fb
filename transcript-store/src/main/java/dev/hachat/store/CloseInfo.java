package dev.hachat.store;

import java.util.Objects;

/**
 * How and when a session ended.
 *
 * @param reason a stable reason code, e.g. {@code CUSTOMER_LEFT}, {@code AGENT_CLOSED}, {@code
 *     INACTIVITY}, {@code ALL_LEFT}, {@code INTERACTION_STOPPED}, {@code STORE_ERROR}, {@code
 *     OWNER_LOST}
 * @param closedAt milliseconds since the epoch, UTC
 */
public record CloseInfo(String reason, long closedAt) {
  public CloseInfo {
    Objects.requireNonNull(reason, "reason");
  }
}
