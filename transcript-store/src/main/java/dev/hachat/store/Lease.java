package dev.hachat.store;

import java.util.Objects;

/**
 * A named lease as the store holds it ({@link dev.hachat.store.spi.Leases}). {@code epoch} only
 * grows: every acquire takes epoch + 1 by compare-and-set, so at most one holder ever holds a given
 * epoch, and whatever it decided can be fenced by it. {@code beat} is a counter the holder raises
 * with every renew; others judge liveness by watching it change on their own clock, never by
 * comparing clocks.
 *
 * @param name the lease, e.g. {@code interaction-router}
 * @param holder who holds it; empty when nobody does (never acquired, or released)
 * @param epoch the acquire that made {@code holder} the holder, 1 for the first; 0 for a lease
 *     never acquired
 * @param beat renews since that acquire (0 right after it)
 */
public record Lease(String name, String holder, long epoch, long beat) {
  /** {@code holder} of a lease nobody holds. */
  public static final String NOBODY = "";

  public Lease {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(holder, "holder");
    if (epoch < 0 || beat < 0) {
      throw new IllegalArgumentException("negative epoch or beat: " + epoch + ", " + beat);
    }
    if (epoch == 0 && (beat != 0 || !holder.isEmpty())) {
      throw new IllegalArgumentException("a lease at epoch 0 was never acquired: " + holder);
    }
  }

  /** The lease {@code name} before anyone acquired it: nobody holds it, epoch 0. */
  public static Lease absent(String name) {
    return new Lease(name, NOBODY, 0, 0);
  }

  /** True if somebody holds it (not released, acquired at least once). */
  public boolean held() {
    return !holder.isEmpty();
  }

  /** True if {@code holder} holds it at {@code epoch}: a renew by it would succeed. */
  public boolean heldBy(String holder, long epoch) {
    return held() && this.holder.equals(holder) && this.epoch == epoch;
  }
}
