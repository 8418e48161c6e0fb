package dev.hachat.store;

import java.util.Objects;

/**
 * Who owns a session. {@code epoch} only grows; each claim (a restore, a hand-over) takes epoch + 1
 * by compare-and-set, so at most one instance holds a given epoch.
 *
 * @param sessionId the session
 * @param owner instance id of the owner
 * @param epoch ownership generation, 1 at creation
 * @param baseIndex the last transcript index the claimant took over; entries written under an older
 *     epoch with a higher index are not part of the transcript (they were never acknowledged, see
 *     docs/consistency.md)
 * @param released true when the owner gave the session up on purpose (drain, evacuate), so a
 *     claimant need not wait for it to be declared dead
 */
public record Ownership(
    String sessionId, String owner, long epoch, long baseIndex, boolean released) {

  public Ownership {
    Objects.requireNonNull(sessionId, "sessionId");
    Objects.requireNonNull(owner, "owner");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be >= 1: " + epoch);
    }
  }
}
