package dev.hachat.store.impl.memory;

import dev.hachat.store.Lease;
import dev.hachat.store.StoreException;
import dev.hachat.store.impl.CheckedLeases;
import io.vertx.core.Future;
import java.util.HashMap;
import java.util.Map;

/**
 * The in-memory leases, shared by everything in one JVM (unit tests). Thread-safe: every
 * compare-and-set runs under one lock, so it is atomic with respect to every other call.
 */
public final class MemoryLeases extends CheckedLeases {
  private final Map<String, Lease> leases = new HashMap<>();

  @Override
  protected synchronized Future<Lease> readChecked(String name) {
    return Future.succeededFuture(current(name));
  }

  @Override
  protected synchronized Future<Lease> acquireChecked(Lease expected, String holder) {
    Lease now = current(expected.name());
    if (now.epoch() != expected.epoch() || now.beat() != expected.beat()) {
      return Future.failedFuture(StoreException.conflict(now));
    }
    return Future.succeededFuture(store(new Lease(now.name(), holder, now.epoch() + 1, 0)));
  }

  @Override
  protected synchronized Future<Lease> renewChecked(String name, String holder, long epoch) {
    Lease now = current(name);
    if (!now.heldBy(holder, epoch)) {
      return Future.failedFuture(StoreException.conflict(now));
    }
    return Future.succeededFuture(store(new Lease(name, holder, epoch, now.beat() + 1)));
  }

  @Override
  protected synchronized Future<Void> releaseChecked(String name, String holder, long epoch) {
    Lease now = current(name);
    if (!now.heldBy(holder, epoch)) {
      return Future.failedFuture(StoreException.conflict(now));
    }
    store(new Lease(name, Lease.NOBODY, epoch, now.beat()));
    return Future.succeededFuture();
  }

  private Lease current(String name) {
    return leases.getOrDefault(name, Lease.absent(name));
  }

  private Lease store(Lease lease) {
    leases.put(lease.name(), lease);
    return lease;
  }
}
