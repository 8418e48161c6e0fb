package dev.hachat.store.impl;

import dev.hachat.store.spi.TranscriptStore;
import java.util.function.Consumer;

/**
 * The status plumbing of a store on a database server (Cassandra, PostgreSQL): {@link #available()}
 * and {@link #onStatusChange} answer from {@link #status}, which the backend feeds with the outcome
 * of every request. Thread-safe.
 */
public abstract class StatusReportingStore implements TranscriptStore {
  /** Fed by the backend after every request: {@code true} if the database answered. */
  protected final StoreStatus status;

  /**
   * @param database the name operators see in the log, e.g. {@code Cassandra}
   */
  protected StatusReportingStore(String database) {
    this.status = new StoreStatus(database);
  }

  @Override
  public final boolean available() {
    return status.available();
  }

  @Override
  public final void onStatusChange(Consumer<Boolean> listener) {
    status.onChange(listener);
  }
}
