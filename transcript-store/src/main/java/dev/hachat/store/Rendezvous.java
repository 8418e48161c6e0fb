package dev.hachat.store;

import java.util.Collection;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rendezvous (highest-random-weight) hashing of a chat over instances: every process that knows the
 * same candidates picks the same one for a chat, without talking to the others, and when an
 * instance dies its chats spread evenly over the rest. Web API servers use it to pick the survivor
 * that restores an orphaned chat, and instances use the same function to send a restore they should
 * not do to that survivor, so a chat's customer and agent land on one instance and never race for
 * its ownership.
 */
public final class Rendezvous {
  private Rendezvous() {}

  /** A well-mixed 64-bit score of (chat, instance); compare scores unsigned. */
  public static long score(String chatId, String instanceId) {
    long h = 0x9E3779B97F4A7C15L;
    for (char c : (chatId + '\u0000' + instanceId).toCharArray()) {
      h = (h ^ c) * 0xBF58476D1CE4E5B9L;
      h ^= h >>> 31;
    }
    h *= 0x94D049BB133111EBL;
    return h ^ (h >>> 29);
  }

  /** The candidate with the highest score for {@code chatId}; empty when there is none. */
  public static <T> Optional<T> pick(
      String chatId, Collection<T> candidates, Function<T, String> id) {
    T best = null;
    long bestScore = 0;
    for (T c : candidates) {
      long s = score(chatId, id.apply(c));
      if (best == null || Long.compareUnsigned(s, bestScore) > 0) {
        best = c;
        bestScore = s;
      }
    }
    return Optional.ofNullable(best);
  }
}
