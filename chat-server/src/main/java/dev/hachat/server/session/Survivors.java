package dev.hachat.server.session;

import dev.hachat.server.cluster.Membership;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.Rendezvous;
import java.util.Optional;

/**
 * Picks the instance a chat leaving this one should go to: among the other live instances, enabled
 * ({@code normal}) ones first, then disabled or draining ones, never one that is evacuating or
 * stopping; within a rank the winner of a rendezvous hash of the chat id ({@link Rendezvous}, the
 * function the web API servers use too), so a chat's requests and its adoption name the same
 * survivor and the chats spread evenly. Thread-safe.
 */
final class Survivors {
  private final Membership membership;
  private final String self;

  Survivors(Membership membership, String self) {
    this.membership = membership;
    this.self = self;
  }

  Optional<InstanceRecord> forChat(String chatId) {
    return pick(chatId, self, false);
  }

  /**
   * The live instance, this one included, that restores a chat whose owner {@code deadOwner} died:
   * ranked as above, then by the rendezvous hash, as the web API servers route such a chat.
   */
  Optional<InstanceRecord> heirOf(String chatId, String deadOwner) {
    return pick(chatId, deadOwner, true);
  }

  private Optional<InstanceRecord> pick(String chatId, String excluded, boolean withSelf) {
    InstanceRecord best = null;
    int bestRank = Integer.MAX_VALUE;
    long bestScore = 0;
    for (Membership.Member m : membership.members()) {
      InstanceRecord r = m.record();
      int rank = rank(r.state());
      boolean isSelf = m.self() || r.instanceId().equals(self);
      if ((isSelf && !withSelf) || !m.alive() || r.instanceId().equals(excluded) || rank < 0) {
        continue;
      }
      long score = Rendezvous.score(chatId, r.instanceId());
      if (rank < bestRank || (rank == bestRank && Long.compareUnsigned(score, bestScore) > 0)) {
        best = r;
        bestRank = rank;
        bestScore = score;
      }
    }
    return Optional.ofNullable(best);
  }

  /** 0 enabled, 1 still serving its chats, -1 not a candidate. */
  private static int rank(String state) {
    if (EngineState.NORMAL.wireName().equals(state)) {
      return 0;
    }
    if (EngineState.DISABLED.wireName().equals(state)
        || EngineState.DRAINING.wireName().equals(state)) {
      return 1;
    }
    return -1;
  }
}
