package dev.hachat.store.spi;

import dev.hachat.store.Lease;
import dev.hachat.store.StoreErrorKind;
import io.vertx.core.Future;

/**
 * Named leases with fencing epochs, in the same store as the transcripts (so "the store is
 * reachable" and "my lease is visible" go together): the building block for electing one process
 * among several, such as the interaction server that makes routing decisions.
 *
 * <p>Every method is asynchronous and never blocks the calling thread. Failures are {@link
 * dev.hachat.store.StoreException}s with a {@link StoreErrorKind}; an empty {@code name} or {@code
 * holder}, a missing {@code expected} lease or a negative epoch is {@link StoreErrorKind#INVALID}.
 *
 * <p><b>Compare-and-set.</b> Every change is conditional on what the caller last saw, and only one
 * of several concurrent calls with the same expectation succeeds. A lost compare-and-set fails with
 * {@link StoreErrorKind#CONFLICT} carrying the lease as it is now ({@link
 * dev.hachat.store.StoreException#currentLease()}). A call that failed with {@link
 * StoreErrorKind#UNAVAILABLE} may or may not have taken effect: {@link #read} tells.
 *
 * <p><b>Epochs.</b> {@link #acquire} takes epoch + 1, so epochs only grow and at most one holder
 * ever holds an epoch; what a holder decided carries its epoch, and a decision under an older epoch
 * than the current one is stale. Leases never expire (an expired lease would start the epochs again
 * at 0).
 *
 * <p><b>Liveness is the caller's business.</b> The store keeps no time: a holder {@link #renew}s
 * every heartbeat interval, which raises {@code beat}, and others take over only after they saw no
 * change of {@code beat} (nor of holder or epoch) for the heartbeat timeout, measured on their own
 * monotonic clock. No clocks of two machines are ever compared. docs/consistency.md ("Leases for a
 * single router") has the rules a holder and a contender follow.
 *
 * <p>{@code LeasesContract} in this module's test-jar is the behaviour every backend must have. A
 * backend's leases share the store's connection and are closed with it.
 */
public interface Leases {
  /**
   * The lease as the store holds it now, {@link Lease#absent} if it was never acquired. A read sees
   * every change that completed before it started.
   */
  Future<Lease> read(String name);

  /**
   * Takes the lease {@code expected.name()} by compare-and-set: succeeds only if its epoch and beat
   * are still those of {@code expected}, the lease as the caller read it ({@link Lease#absent} for
   * one never acquired), and then records {@code holder} at epoch + 1 with beat 0. Fails with
   * {@link StoreErrorKind#CONFLICT} carrying the current lease otherwise: somebody acquired it, or
   * its holder renewed it, since the caller's read. (A lease released since then is taken: the
   * release keeps epoch and beat.)
   *
   * <p>Conditioning on the beat too makes the takeover safe by itself: a contender acquires the
   * lease only as it watched it unchanged for the heartbeat timeout, so no renew it did not see can
   * have extended the old holder's lease (docs/consistency.md, "Leases for a single router").
   * Whether a holder is dead is not the store's to decide.
   */
  Future<Lease> acquire(Lease expected, String holder);

  /**
   * Raises {@code beat} by one, by compare-and-set: succeeds only if {@code holder} still holds the
   * lease at {@code epoch}, and returns the lease after the renew. Fails with {@link
   * StoreErrorKind#CONFLICT} carrying the current lease otherwise: the caller has lost the lease
   * and must stop deciding at once.
   */
  Future<Lease> renew(String name, String holder, long epoch);

  /**
   * Gives the lease up (a graceful stop), by compare-and-set: succeeds only if {@code holder} still
   * holds it at {@code epoch}, and then leaves it held by nobody at the same epoch, so that another
   * may acquire it at once. Fails with {@link StoreErrorKind#CONFLICT} carrying the current lease
   * otherwise (also when repeated: it is not held any more).
   */
  Future<Void> release(String name, String holder, long epoch);
}
