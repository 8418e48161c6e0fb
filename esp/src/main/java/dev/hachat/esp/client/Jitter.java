package dev.hachat.esp.client;

import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * Reconnect jitter: a uniformly random pause between two bounds, so that the thousands of clients
 * of an instance that died do not all come back to the survivors in the same instant.
 */
public final class Jitter {
  private Jitter() {}

  /** A random delay in {@code [min, max]} ms ({@code max < min} counts as {@code min}). */
  public static long between(long min, long max) {
    return between(min, max, ThreadLocalRandom.current());
  }

  static long between(long min, long max, RandomGenerator random) {
    long lo = Math.max(0, min);
    long hi = Math.max(lo, max);
    return lo + random.nextLong(hi - lo + 1);
  }
}
