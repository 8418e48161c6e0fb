package dev.hachat.store;

import java.util.Objects;
import java.util.Optional;

/**
 * How and when a session ended.
 *
 * @param reason the {@link ReasonCode} name; a string, since stored closes may hold codes of other
 *     versions
 * @param closedAt milliseconds since the epoch, UTC
 */
public record CloseInfo(String reason, long closedAt) {
  public CloseInfo {
    Objects.requireNonNull(reason, "reason");
  }

  /** A close for {@code reason}, the only way the engine makes one. */
  public CloseInfo(ReasonCode reason, long closedAt) {
    this(reason.name(), closedAt);
  }

  /** The reason as a code, if it is one this version knows. */
  public Optional<ReasonCode> code() {
    return ReasonCode.parse(reason);
  }
}
