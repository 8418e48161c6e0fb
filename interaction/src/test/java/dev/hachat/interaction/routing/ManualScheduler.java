package dev.hachat.interaction.routing;

import java.util.Map;
import java.util.TreeMap;

/** A {@link Scheduler} moved by hand: timers fire in {@link #advance}. */
public final class ManualScheduler implements Scheduler {
  private record Task(long at, long id, Runnable run) {}

  private final TreeMap<Long, Task> byId = new TreeMap<>();
  private long now;
  private long nextId;

  @Override
  public long after(long delayMs, Runnable task) {
    long id = nextId++;
    byId.put(id, new Task(now + delayMs, id, task));
    return id;
  }

  @Override
  public void cancel(long id) {
    byId.remove(id);
  }

  @Override
  public long now() {
    return now;
  }

  /** Moves the clock, running every timer due on the way in time order. */
  public void advance(long ms) {
    long end = now + ms;
    while (true) {
      Task next =
          byId.values().stream()
              .filter(t -> t.at() <= end)
              .min(
                  (a, b) ->
                      a.at() != b.at()
                          ? Long.compare(a.at(), b.at())
                          : Long.compare(a.id(), b.id()))
              .orElse(null);
      if (next == null) {
        break;
      }
      byId.remove(next.id());
      now = next.at();
      next.run().run();
    }
    now = end;
  }

  public int pending() {
    return byId.size();
  }

  Map<Long, ?> tasks() {
    return byId;
  }
}
