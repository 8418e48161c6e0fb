package dev.hachat.store.impl.memory;

import dev.hachat.store.LeasesContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.Leases;
import io.vertx.core.Vertx;

/** The leases contract in memory. */
class MemoryLeasesTest extends LeasesContract {
  @Override
  protected Leases createLeases(Vertx vertx) {
    return TranscriptStores.inMemoryLeases();
  }

  @Override
  protected void closeLeases() {}
}
