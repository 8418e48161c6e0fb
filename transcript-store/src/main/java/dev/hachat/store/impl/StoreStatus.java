package dev.hachat.store.impl;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's AVAILABLE/UNAVAILABLE status: set after every request, logged and reported to
 * listeners once per transition. Thread-safe.
 */
public final class StoreStatus implements Consumer<Boolean> {
  private static final Logger LOG = LoggerFactory.getLogger(StoreStatus.class);

  private final String database;
  private final List<Consumer<Boolean>> listeners = new CopyOnWriteArrayList<>();
  private volatile boolean available = true;

  /**
   * @param database the name operators see in the log, e.g. {@code Cassandra}
   */
  public StoreStatus(String database) {
    this.database = database;
  }

  public boolean available() {
    return available;
  }

  public void onChange(Consumer<Boolean> listener) {
    listeners.add(listener);
  }

  /** Records the outcome of a request: {@code true} if the database answered. */
  @Override
  public synchronized void accept(Boolean up) {
    if (available == up) {
      return;
    }
    available = up;
    if (up) {
      LOG.info("{} store AVAILABLE again", database);
    } else {
      LOG.warn("{} store UNAVAILABLE: requests fail or time out", database);
    }
    listeners.forEach(l -> l.accept(up));
  }
}
