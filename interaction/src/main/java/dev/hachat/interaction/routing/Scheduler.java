package dev.hachat.interaction.routing;

/** Timers for the router, on the router's context; a hand-moved one in tests. */
public interface Scheduler {
  /** Runs {@code task} after {@code delayMs}; the id cancels it. */
  long after(long delayMs, Runnable task);

  void cancel(long id);

  /** Milliseconds on a monotonic clock. */
  long now();
}
