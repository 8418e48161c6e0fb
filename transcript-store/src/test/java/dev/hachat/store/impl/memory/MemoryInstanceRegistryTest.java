package dev.hachat.store.impl.memory;

import dev.hachat.store.InstanceRegistryContract;
import dev.hachat.store.spi.InstanceRegistry;
import dev.hachat.testing.ManualClock;
import io.vertx.core.Vertx;
import java.time.Duration;

/** The registry contract in memory; time passes on a hand-moved clock. */
class MemoryInstanceRegistryTest extends InstanceRegistryContract {
  private final ManualClock clock = new ManualClock();

  @Override
  protected InstanceRegistry createRegistry(Vertx vertx) {
    return new MemoryInstanceRegistry(clock);
  }

  @Override
  protected void age(Duration by) {
    clock.advance(by);
  }

  @Override
  protected void closeRegistry() {}
}
