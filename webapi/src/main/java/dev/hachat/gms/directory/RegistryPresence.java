package dev.hachat.gms.directory;

import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this web API server's row in the instance registry (under {@link
 * InstanceRecord#WEB_API_SERVER_PREFIX} + its id, heartbeat counter rising every poll interval), so
 * that every web API server's state table lists all web API servers too. Instances ignore the row.
 */
public final class RegistryPresence {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryPresence.class);

  private final Vertx vertx;
  private final InstanceRegistry registry;
  private final String rowId;
  private final String address;
  private final String version;
  private final long startedAt;
  private long counter;
  private long timer = -1;

  public RegistryPresence(
      Vertx vertx,
      InstanceRegistry registry,
      String id,
      String address,
      String version,
      long startedAt) {
    this.vertx = vertx;
    this.registry = registry;
    this.rowId = InstanceRecord.WEB_API_SERVER_PREFIX + id;
    this.address = address;
    this.version = version;
    this.startedAt = startedAt;
  }

  /** Writes the row now and then every {@code intervalMillis}. */
  public Future<Void> start(long intervalMillis) {
    timer = vertx.setPeriodic(intervalMillis, t -> beat());
    return beat();
  }

  private Future<Void> beat() {
    InstanceRecord r =
        new InstanceRecord(rowId, address, "", "", "normal", 0, 0, ++counter, startedAt, version);
    return registry
        .heartbeat(r)
        .onFailure(
            e -> LOG.debug("cannot write this web API server's registry row: {}", e.toString()))
        .otherwiseEmpty();
  }

  /** Stops heartbeating and removes the row (best effort). */
  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return registry.remove(rowId).otherwiseEmpty();
  }
}
