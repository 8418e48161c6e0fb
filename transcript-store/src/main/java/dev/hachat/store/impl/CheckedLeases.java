package dev.hachat.store.impl;

import dev.hachat.store.Lease;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.spi.Leases;
import io.vertx.core.Future;

/**
 * The argument checks of {@link Leases}, made once for every backend so that all refuse the same
 * calls alike ({@link StoreErrorKind#INVALID}); a backend implements the checked operations.
 */
public abstract class CheckedLeases implements Leases {
  @Override
  public final Future<Lease> read(String name) {
    StoreException bad = invalidName(name);
    return bad != null ? Future.failedFuture(bad) : readChecked(name);
  }

  @Override
  public final Future<Lease> acquire(Lease expected, String holder) {
    StoreException bad =
        expected == null
            ? StoreException.of(StoreErrorKind.INVALID, "acquire without the expected lease")
            : invalid(expected.name(), holder, expected.epoch());
    return bad != null ? Future.failedFuture(bad) : acquireChecked(expected, holder);
  }

  @Override
  public final Future<Lease> renew(String name, String holder, long epoch) {
    StoreException bad = invalid(name, holder, epoch);
    return bad != null ? Future.failedFuture(bad) : renewChecked(name, holder, epoch);
  }

  @Override
  public final Future<Void> release(String name, String holder, long epoch) {
    StoreException bad = invalid(name, holder, epoch);
    return bad != null ? Future.failedFuture(bad) : releaseChecked(name, holder, epoch);
  }

  /** {@link #read} with a non-empty name. */
  protected abstract Future<Lease> readChecked(String name);

  /** {@link #acquire} with an expected lease of a non-empty name and a non-empty holder. */
  protected abstract Future<Lease> acquireChecked(Lease expected, String holder);

  /** {@link #renew} with a non-empty name and holder and {@code epoch >= 0}. */
  protected abstract Future<Lease> renewChecked(String name, String holder, long epoch);

  /** {@link #release} with a non-empty name and holder and {@code epoch >= 0}. */
  protected abstract Future<Void> releaseChecked(String name, String holder, long epoch);

  private static StoreException invalidName(String name) {
    return name == null || name.isEmpty()
        ? StoreException.of(StoreErrorKind.INVALID, "a lease needs a name")
        : null;
  }

  /**
   * An empty holder is refused: it would match a released lease. A renew or release at epoch 0 is
   * not: no lease is held at epoch 0, so it fails with {@link StoreErrorKind#CONFLICT}.
   */
  private static StoreException invalid(String name, String holder, long epoch) {
    StoreException bad = invalidName(name);
    if (bad != null) {
      return bad;
    }
    if (holder == null || holder.isEmpty()) {
      return StoreException.of(StoreErrorKind.INVALID, "lease " + name + ": empty holder");
    }
    if (epoch < 0) {
      return StoreException.of(StoreErrorKind.INVALID, "lease " + name + ": epoch " + epoch);
    }
    return null;
  }
}
