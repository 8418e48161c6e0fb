package dev.hachat.bench.chaos;

import java.time.Instant;

/** Timestamped lines on standard output: every fault and every phase of a chaos run. */
final class ChaosLog {
  private final long startNanos = System.nanoTime();

  synchronized void log(String format, Object... args) {
    double elapsed = (System.nanoTime() - startNanos) / 1e9;
    System.out.printf(
        "%s [+%7.3fs] %s%n", Instant.now().toString(), elapsed, String.format(format, args));
    System.out.flush();
  }
}
