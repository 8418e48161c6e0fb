package dev.hachat.server.session;

import dev.hachat.server.cluster.Membership;
import dev.hachat.store.InstanceRecord;
import java.util.Optional;

/**
 * Picks the instance a chat leaving this one should go to: among the other live instances, enabled
 * ({@code normal}) ones first, then disabled or draining ones, never one that is evacuating or
 * stopping; within a rank the winner of a rendezvous hash of the chat id, so a chat's requests and
 * its adoption name the same survivor and the chats spread evenly. Thread-safe.
 */
final class Survivors {
  private final Membership membership;
  private final String self;

  Survivors(Membership membership, String self) {
    this.membership = membership;
    this.self = self;
  }

  Optional<InstanceRecord> forChat(String chatId) {
    InstanceRecord best = null;
    int bestRank = Integer.MAX_VALUE;
    long bestScore = 0;
    for (Membership.Member m : membership.members()) {
      InstanceRecord r = m.record();
      int rank = rank(r.state());
      if (m.self() || !m.alive() || r.instanceId().equals(self) || rank < 0) {
        continue;
      }
      long score = score(chatId, r.instanceId());
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

  private static long score(String chatId, String instanceId) {
    long h = 1125899906842597L;
    for (char c : chatId.toCharArray()) {
      h = 31 * h + c;
    }
    h ^= 0x5DEECE66DL;
    for (char c : instanceId.toCharArray()) {
      h = (h ^ c) * 0x100000001B3L;
    }
    h ^= h >>> 33;
    h *= 0xFF51AFD7ED558CCDL;
    h ^= h >>> 33;
    return h;
  }
}
