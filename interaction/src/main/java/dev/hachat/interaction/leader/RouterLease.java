package dev.hachat.interaction.leader;

import dev.hachat.interaction.routing.Scheduler;
import dev.hachat.store.Lease;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.spi.Leases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Objects;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interaction server's part in electing the router: holds the lease {@code name} in the store
 * or watches it, by the rules S1–S3 of docs/consistency.md ("Leases for a single router").
 *
 * <p>As the <b>holder</b> it renews every heartbeat interval {@code I}; it is {@link #leading()}
 * only until {@code L = T − 3·I} after the start of its last successful acquire or renew, on the
 * scheduler's monotonic clock. A renew lost to a compare-and-set ends the holding at once ({@link
 * Listener#deposed}); a renew that fails otherwise is retried, and the validity simply runs out.
 *
 * <p>As a <b>contender</b> it reads the lease every {@code I/2} and acquires it, with the record it
 * watched as the expectation, when nobody holds it or when it has seen the same record for the
 * heartbeat timeout {@code T}, counted from when the read that returned it <em>completed</em>. An
 * acquire whose answer was lost may have taken effect: if the next read names this holder at the
 * epoch it asked for, it acquires again from that record rather than wait (S2).
 *
 * <p>Confined: every method is called on one context, and the store's answers are brought back to
 * it through {@code onContext}; the listener is called there too. At most one store call is in
 * flight at a time.
 */
public final class RouterLease {
  private static final Logger LOG = LoggerFactory.getLogger(RouterLease.class);

  /** What the server does when the lease changes, on the lease's context. */
  public interface Listener {
    /** This server holds the lease now at {@code epoch}; it may decide while {@link #leading}. */
    void elected(long epoch);

    /** This server holds the lease no more ({@code epoch} was its epoch); it must stop at once. */
    void deposed(long epoch, String why);

    /** A read returned {@code lease}, held by another server or by nobody. */
    void observed(Lease lease);
  }

  private final Leases leases;
  private final String name;
  private final String holder;
  private final long interval;
  private final long timeout;
  private final Scheduler scheduler;
  private final Executor onContext;
  private final Listener listener;

  private boolean started;
  private boolean stopped;
  private boolean announced; // elected() was called for the epoch held
  private long timer = -1;
  private Future<?> inFlight = Future.succeededFuture();
  private boolean busy;

  // holding
  private long epoch; // > 0 while held
  private long validUntil;

  // contending
  private Lease watched;
  private long watchedSince;
  private long maybeAcquired; // the epoch an acquire with a lost answer asked for; 0 if none
  private long highestEpoch;

  public RouterLease(
      Leases leases,
      String name,
      String holder,
      long intervalMs,
      long timeoutMs,
      Scheduler scheduler,
      Executor onContext,
      Listener listener) {
    if (intervalMs <= 0 || timeoutMs < 4 * intervalMs) {
      throw new IllegalArgumentException(
          "need heartbeat-timeout >= 4 x heartbeat-interval: " + timeoutMs + ", " + intervalMs);
    }
    if (holder.isEmpty()) {
      throw new IllegalArgumentException("empty holder");
    }
    this.leases = Objects.requireNonNull(leases);
    this.name = Objects.requireNonNull(name);
    this.holder = holder;
    this.interval = intervalMs;
    this.timeout = timeoutMs;
    this.scheduler = Objects.requireNonNull(scheduler);
    this.onContext = Objects.requireNonNull(onContext);
    this.listener = Objects.requireNonNull(listener);
  }

  /** Starts watching (and, if it may, acquiring) at once, then every heartbeat interval. */
  public void start() {
    if (started) {
      throw new IllegalStateException("started twice");
    }
    started = true;
    tick();
  }

  /** True while this server holds the lease and its validity has not run out (S1). */
  public boolean leading() {
    return epoch > 0 && !stopped && scheduler.now() < validUntil;
  }

  /** The epoch this server holds, 0 if it holds none. */
  public long epoch() {
    return epoch;
  }

  /** The highest epoch seen in any answer of the store (fences offers of older routers). */
  public long highestEpoch() {
    return highestEpoch;
  }

  /**
   * Stops: no more calls to the store after the one in flight; a held lease is given up after this
   * server stopped deciding (S3), so that another may acquire it at once. Always succeeds: a
   * release that fails leaves the lease to be taken over after the timeout.
   */
  public Future<Void> stop() {
    if (stopped) {
      return Future.succeededFuture();
    }
    stopped = true;
    scheduler.cancel(timer);
    Promise<Void> done = Promise.promise();
    inFlight.onComplete(
        ignored ->
            onContext.execute(
                () -> {
                  if (epoch == 0) {
                    done.complete();
                    return;
                  }
                  long held = epoch;
                  epoch = 0;
                  if (announced) {
                    announced = false;
                    listener.deposed(held, "stopping");
                  }
                  leases
                      .release(name, holder, held)
                      .onComplete(
                          ar -> {
                            if (ar.failed()) {
                              LOG.warn(
                                  "release of {} at epoch {} failed: {}",
                                  name,
                                  held,
                                  ar.cause().toString());
                            }
                            done.complete();
                          });
                }));
    return done.future();
  }

  /** Stops without a word to the store, as a kill -9 would (tests). */
  void stopSilently() {
    stopped = true;
    scheduler.cancel(timer);
  }

  private void tick() {
    if (stopped) {
      return;
    }
    timer = scheduler.after(nextTick(), this::tick);
    if (busy) {
      return; // a slow store: the call under way answers first
    }
    if (epoch > 0) {
      renew();
    } else if (watched != null
        && watched.held()
        && maybeAcquired == 0
        && scheduler.now() - watchedSince >= timeout) {
      acquire(watched); // watched unchanged for the timeout: the compare-and-set checks it still is
    } else {
      read();
    }
  }

  /**
   * The holder renews every interval. A contender reads twice as often, so that it sees the last
   * beat of a dead holder soon after it was written, and wakes up exactly when the record it
   * watches has stood for the timeout: together they bound a take-over by {@code T + I/2} after the
   * holder's last renew, plus the store's answers.
   */
  private long nextTick() {
    if (epoch > 0) {
      return interval;
    }
    long next = Math.max(1, interval / 2);
    if (watched != null && watched.held()) {
      long left = watchedSince + timeout - scheduler.now();
      if (left > 0) {
        next = Math.min(next, left);
      }
    }
    return next;
  }

  private void renew() {
    long sent = scheduler.now();
    long held = epoch;
    call(leases.renew(name, holder, held))
        .onSuccess(
            l -> {
              if (epoch == held) {
                seen(l);
                validUntil = sent + validity();
              }
            })
        .onFailure(
            t -> {
              if (epoch != held) {
                return;
              }
              if (StoreException.is(t, StoreErrorKind.CONFLICT)) {
                epoch = 0;
                validUntil = 0;
                announced = false;
                Lease now = ((StoreException) t).currentLease();
                listener.deposed(held, "lost the lease to " + describe(now));
                watch(now);
              } else {
                LOG.debug("renew of {} failed, retrying: {}", name, t.toString());
              }
            });
  }

  private void read() {
    call(leases.read(name))
        .onSuccess(
            l -> {
              if (stopped) {
                return;
              }
              watch(l);
              if (mayAcquire(l)) {
                acquire(l);
              }
            })
        .onFailure(t -> LOG.debug("read of {} failed: {}", name, t.toString()));
  }

  private boolean mayAcquire(Lease l) {
    if (!l.held()) {
      return true;
    }
    if (maybeAcquired > 0 && l.heldBy(holder, maybeAcquired)) {
      return true; // our own acquire took effect though its answer was lost
    }
    return scheduler.now() - watchedSince >= timeout;
  }

  private void acquire(Lease expected) {
    long sent = scheduler.now();
    maybeAcquired = 0;
    call(leases.acquire(expected, holder))
        .onSuccess(
            l -> {
              seen(l);
              epoch = l.epoch();
              validUntil = sent + validity();
              watched = null;
              if (!stopped) { // else stop() gives it back as soon as this call is done
                scheduler.cancel(timer);
                timer = scheduler.after(interval, this::tick); // renews from now on
                announced = true;
                listener.elected(epoch);
              }
            })
        .onFailure(
            t -> {
              if (StoreException.is(t, StoreErrorKind.CONFLICT)) {
                watch(((StoreException) t).currentLease());
              } else {
                maybeAcquired = expected.epoch() + 1;
                LOG.debug("acquire of {} failed: {}", name, t.toString());
              }
            });
  }

  /** Notes a record read from the store: a changed one starts the timeout again (S2). */
  private void watch(Lease l) {
    seen(l);
    if (watched == null
        || !watched.holder().equals(l.holder())
        || watched.epoch() != l.epoch()
        || watched.beat() != l.beat()) {
      watched = l;
      watchedSince = scheduler.now();
    }
    if (!l.holder().equals(holder)) {
      listener.observed(l);
    }
  }

  private void seen(Lease l) {
    highestEpoch = Math.max(highestEpoch, l.epoch());
  }

  private long validity() {
    return timeout - 3 * interval;
  }

  /** {@code f}'s outcome on the context, with the one-call-at-a-time bookkeeping. */
  private <T> Future<T> call(Future<T> f) {
    busy = true;
    Promise<T> back = Promise.promise();
    f.onComplete(
        ar ->
            onContext.execute(
                () -> {
                  busy = false;
                  back.handle(ar);
                }));
    inFlight = back.future();
    return back.future();
  }

  private static String describe(Lease l) {
    return l == null ? "?" : (l.held() ? l.holder() : "nobody") + " at epoch " + l.epoch();
  }
}
