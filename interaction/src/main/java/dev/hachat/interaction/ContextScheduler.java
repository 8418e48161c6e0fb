package dev.hachat.interaction;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.interaction.routing.Scheduler;

/** The router's timers, on the switchboard's own context; a monotonic clock. */
final class ContextScheduler implements Scheduler {
  private final OwnContext context;

  ContextScheduler(OwnContext context) {
    this.context = context;
  }

  @Override
  public long after(long delayMs, Runnable task) {
    return context.setTimer(Math.max(1, delayMs), t -> task.run());
  }

  @Override
  public void cancel(long id) {
    if (id >= 0) {
      context.cancelTimer(id);
    }
  }

  @Override
  public long now() {
    return System.nanoTime() / 1_000_000;
  }
}
