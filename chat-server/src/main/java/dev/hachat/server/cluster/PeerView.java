package dev.hachat.server.cluster;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's view of the others (docs/consistency.md, R3): it polls the registry, times every
 * other instance's freshness and absence, and judges death for restores: another instance is dead
 * for a restore whose load started at ℓ only if, on a fresh view, the evidence was there at ℓ
 * already ({@link ViewSnapshot#deadSince}).
 *
 * <p>Threading: the view lives on its own context ({@link OwnContext}); polls are sent and answered
 * there and publish a {@link ViewSnapshot} through the one volatile field {@code snapshot}. The
 * readers ({@link #deadSince}, {@link #snapshot}) run on any thread; {@link #poll} and {@link
 * #freshView} hop onto the context and return Futures. A first question about an instance never
 * seen is recorded on the context afterwards: its own answer never depends on it (missing since now
 * is not missing for the timeout), and a later question finds it recorded or, if the context is
 * slow, counts from its own time, which can only keep an instance alive longer.
 */
public final class PeerView {
  private static final Logger LOG = LoggerFactory.getLogger(PeerView.class);

  private final OwnContext context;
  private final InstanceRegistry registry;
  private final String self;
  private final LongSupplier nanos;
  private final long pollTimeoutMillis;
  private volatile ViewSnapshot snapshot;

  /** The poll a stale view waits for, shared by every caller meanwhile; on the context only. */
  private Future<Void> extraPoll;

  public PeerView(
      OwnContext context,
      InstanceRegistry registry,
      HaOptions options,
      String self,
      LongSupplier nanos) {
    this.context = context;
    this.registry = registry;
    this.self = self;
    this.nanos = nanos;
    this.pollTimeoutMillis = options.getHeartbeatInterval();
    this.snapshot =
        ViewSnapshot.empty(
            TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatTimeout()),
            TimeUnit.MILLISECONDS.toNanos(options.viewFreshMillis()));
  }

  /** The view as of the last poll (immutable; judge it with the same clock). */
  public ViewSnapshot snapshot() {
    return snapshot;
  }

  /**
   * True if {@code instanceId} is dead by R3 with evidence this view had already at {@code
   * sinceNanos}; see {@link ViewSnapshot#deadSince}. Every acknowledgement it made is then in a
   * store read that started at {@code sinceNanos}.
   */
  public boolean deadSince(String instanceId, long sinceNanos) {
    ViewSnapshot s = snapshot;
    long now = nanos.getAsLong();
    if (s.fresh(now) && s.unknown(instanceId)) {
      context.run(() -> askedAbout(instanceId, now));
    }
    return s.deadSince(instanceId, sinceNanos, now);
  }

  /** Polls the registry once; completes when the view reflects the answer, or the poll failed. */
  public Future<Void> poll() {
    return context.call(this::pollNow);
  }

  /**
   * Completes once the view of the registry is fresh: at once if it is, else after one more poll
   * (shared by all callers meanwhile, bounded by {@code heartbeat-interval}). A restore asks for
   * this before it decides that an owner is dead, so a view that went stale under load delays a
   * restore instead of failing it.
   */
  public Future<Void> freshView() {
    if (snapshot.fresh(nanos.getAsLong())) {
      return Future.succeededFuture();
    }
    return context.call(
        () -> {
          assert context.isCurrent() : "view changed off its context";
          if (snapshot.fresh(nanos.getAsLong())) {
            return Future.succeededFuture();
          }
          if (extraPoll != null) {
            return extraPoll;
          }
          Future<Void> poll = pollNow();
          if (!poll.isComplete()) { // it completes on this context, not meanwhile
            extraPoll = poll;
            poll.onComplete(ar -> extraPoll = null);
          }
          return poll;
        });
  }

  private Future<Void> pollNow() {
    assert context.isCurrent() : "poll off the view's context";
    long started = nanos.getAsLong();
    return context
        .back(registry.list().timeout(pollTimeoutMillis, TimeUnit.MILLISECONDS))
        .onSuccess(records -> observe(records, started))
        .onFailure(e -> LOG.debug("[{}] registry poll failed: {}", self, e.toString()))
        .mapEmpty();
  }

  private void observe(List<InstanceRecord> records, long started) {
    assert context.isCurrent() : "view changed off its context";
    snapshot = snapshot.afterPoll(records, started, nanos.getAsLong(), self);
  }

  private void askedAbout(String instanceId, long atNanos) {
    assert context.isCurrent() : "view changed off its context";
    snapshot = snapshot.askedAbout(instanceId, atNanos);
  }
}
