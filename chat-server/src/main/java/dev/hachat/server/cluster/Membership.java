package dev.hachat.server.cluster;

import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats, liveness and the lease of one instance.
 *
 * <ul>
 *   <li><b>Heartbeat</b>: every {@code heartbeat-interval} the instance writes its record with a
 *       counter one higher than before.
 *   <li><b>Liveness</b>: another instance is alive while its counter changed, as seen by this
 *       instance's monotonic clock, less than {@code heartbeat-timeout} ago. No wall clocks of two
 *       machines are ever compared.
 *   <li><b>Lease</b>: this instance may acknowledge writes only until {@code lease} after the
 *       <em>start</em> of its last heartbeat write that succeeded, where lease = timeout −
 *       interval. Anyone who declares it dead does so at least {@code timeout} after that start, so
 *       its acknowledgements always end first (docs/consistency.md).
 * </ul>
 *
 * <p>Threading: {@link #tick()} runs on one event loop (a periodic timer); the view and lease are
 * published through volatile fields and a concurrent map for any thread to read.
 */
public final class Membership {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  private final Vertx vertx;
  private final InstanceRegistry registry;
  private final HaOptions options;
  private final LongSupplier nanos;
  private final String self;
  private final Supplier<InstanceRecord> selfRecord;
  private final Map<String, Seen> view = new ConcurrentHashMap<>();
  private final Runnable onLeaseLost;
  private volatile long leaseUntil = Long.MIN_VALUE;
  private volatile boolean leaseHeld;
  private volatile long generation;
  private volatile long lastPollNanos = Long.MIN_VALUE;
  private volatile boolean polledOnce;
  private final java.util.concurrent.atomic.AtomicReference<Future<Void>> extraPoll =
      new java.util.concurrent.atomic.AtomicReference<>();
  private volatile InstanceRecord lastSelf;
  private long seq;
  private boolean beating;
  private long timer = -1;

  /** What this instance saw of another: its record and when (local nanos) its counter moved. */
  private record Seen(InstanceRecord record, long changedAtNanos) {}

  public Membership(
      Vertx vertx,
      InstanceRegistry registry,
      HaOptions options,
      String self,
      Supplier<InstanceRecord> selfRecord,
      LongSupplier nanos,
      Runnable onLeaseLost) {
    this.vertx = vertx;
    this.registry = registry;
    this.options = options;
    this.self = self;
    this.selfRecord = selfRecord;
    this.nanos = nanos;
    this.onLeaseLost = onLeaseLost;
  }

  /** Writes the first heartbeat (so the lease is held once this completes) and starts ticking. */
  public Future<Void> start() {
    return start(true);
  }

  /**
   * Like {@link #start()}; with {@code periodic} false nothing ticks by itself and the caller calls
   * {@link #tick()} (tests with a hand-moved clock).
   */
  public Future<Void> start(boolean periodic) {
    return heartbeat()
        .andThen(
            ar -> {
              if (periodic) {
                timer = vertx.setPeriodic(options.getHeartbeatInterval(), t -> tick());
              }
            });
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    leaseHeld = false;
    leaseUntil = Long.MIN_VALUE;
  }

  /** Removes this instance from the registry (graceful stop). */
  public Future<Void> deregister() {
    return registry.remove(self);
  }

  /**
   * One round: check the lease, heartbeat, refresh the view. Public for tests; the Future completes
   * once the view is refreshed (or the poll failed).
   */
  public Future<Void> tick() {
    checkLease();
    if (!beating) {
      heartbeat();
    }
    return registry
        .list()
        .timeout(options.getHeartbeatInterval(), TimeUnit.MILLISECONDS)
        .onSuccess(this::observe)
        .onFailure(e -> LOG.debug("[{}] registry poll failed: {}", self, e.toString()))
        .<Void>mapEmpty();
  }

  /** True while this instance may acknowledge writes. */
  public boolean leaseValid() {
    return leaseHeld && nanos.getAsLong() - leaseUntil < 0;
  }

  /**
   * The lease generation: raised the moment a lease loss is detected. A session may acknowledge
   * only while the lease is valid and the generation is the one it was taken in.
   */
  public long generation() {
    return generation;
  }

  /** True while the lease is valid and still of {@code generation}. */
  public boolean canAcknowledge(long generation) {
    return leaseValid() && this.generation == generation;
  }

  /** True while this instance may acknowledge for something taken in the current generation. */
  public java.util.function.BooleanSupplier acknowledgeGuard() {
    long taken = generation;
    return () -> canAcknowledge(taken);
  }

  /** Whether {@code instanceId} is alive as far as this instance can tell. */
  public boolean isAlive(String instanceId) {
    if (self.equals(instanceId)) {
      return leaseValid();
    }
    long now = nanos.getAsLong();
    if (!viewFresh(now)) {
      return true; // no fresh view of the registry: nobody may be declared dead
    }
    Seen s = view.get(instanceId);
    return s != null
        && now - s.changedAtNanos() < TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatTimeout());
  }

  private boolean viewFresh(long now) {
    long interval = TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatInterval());
    return polledOnce && now - lastPollNanos <= interval + interval / 2;
  }

  /**
   * Completes once the view of the registry is fresh: at once if it is, else after one more poll
   * (shared by all callers meanwhile). A restore asks for this before it decides that an owner is
   * dead, so a view that went stale under load delays a restore instead of failing it.
   */
  public Future<Void> freshView() {
    if (viewFresh(nanos.getAsLong())) {
      return Future.succeededFuture();
    }
    io.vertx.core.Promise<Void> promise = io.vertx.core.Promise.promise();
    Future<Void> running = extraPoll.compareAndExchange(null, promise.future());
    if (running != null) {
      return running;
    }
    registry
        .list()
        .timeout(options.getHeartbeatTimeout(), TimeUnit.MILLISECONDS)
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                observe(ar.result());
              }
              extraPoll.set(null);
              promise.handle(ar.mapEmpty());
            });
    return promise.future();
  }

  /** The last record seen of an instance (this one included). */
  public Optional<InstanceRecord> record(String instanceId) {
    if (self.equals(instanceId)) {
      return Optional.ofNullable(lastSelf);
    }
    Seen s = view.get(instanceId);
    return s == null ? Optional.empty() : Optional.of(s.record());
  }

  /** An instance as this one sees it. */
  public record Member(InstanceRecord record, boolean alive, boolean self) {}

  /** Every instance in the last registry view, this one first, with its liveness. */
  public List<Member> members() {
    List<Member> out = new java.util.ArrayList<>();
    if (lastSelf != null) {
      out.add(new Member(lastSelf, leaseValid(), true));
    }
    view.values().stream()
        .map(Seen::record)
        .sorted(java.util.Comparator.comparing(InstanceRecord::instanceId))
        .forEach(r -> out.add(new Member(r, isAlive(r.instanceId()), false)));
    return out;
  }

  /** Records of the instances alive now, this one included while its lease holds. */
  public List<InstanceRecord> alive() {
    List<InstanceRecord> out =
        new java.util.ArrayList<>(
            view.values().stream()
                .filter(s -> isAlive(s.record().instanceId()))
                .map(Seen::record)
                .toList());
    if (leaseValid() && lastSelf != null) {
      out.add(lastSelf);
    }
    return out;
  }

  private void checkLease() {
    if (leaseHeld && !leaseValid()) {
      leaseHeld = false;
      generation++;
      LOG.warn(
          "[{}] lease lost: no successful heartbeat for too long; fencing held sessions", self);
      onLeaseLost.run();
    }
  }

  private Future<Void> heartbeat() {
    beating = true;
    long started = nanos.getAsLong();
    long startedGeneration = generation;
    InstanceRecord rec = selfRecord.get();
    InstanceRecord record =
        new InstanceRecord(
            self,
            rec.webapi(),
            rec.esp(),
            rec.admin(),
            rec.state(),
            rec.sessions(),
            rec.limit(),
            ++seq,
            rec.startedAt(),
            rec.version());
    return registry
        .heartbeat(record)
        .timeout(options.getHeartbeatInterval(), TimeUnit.MILLISECONDS)
        .andThen(
            ar -> {
              beating = false;
              if (ar.succeeded()) {
                lastSelf = record;
                long until = started + TimeUnit.MILLISECONDS.toNanos(options.leaseMillis());
                if (leaseValid()) {
                  // Renew only while the lease still holds (docs/consistency.md).
                  leaseUntil = Math.max(leaseUntil, until);
                } else if (!leaseHeld
                    && startedGeneration == generation
                    && until - nanos.getAsLong() > 0) {
                  // (Re)gain: every session held before a loss is of an older generation.
                  LOG.info("[{}] lease held (generation {})", self, generation);
                  leaseUntil = until;
                  leaseHeld = true;
                }
              } else {
                LOG.debug("[{}] heartbeat failed: {}", self, ar.cause().toString());
              }
            })
        .mapEmpty();
  }

  private void observe(List<InstanceRecord> records) {
    long now = nanos.getAsLong();
    lastPollNanos = now;
    polledOnce = true;
    java.util.Set<String> present = new java.util.HashSet<>();
    for (InstanceRecord r : records) {
      if (self.equals(r.instanceId())) {
        continue;
      }
      present.add(r.instanceId());
      view.compute(
          r.instanceId(),
          (id, old) ->
              old == null || old.record().heartbeat() != r.heartbeat()
                  ? new Seen(r, now)
                  : new Seen(r, old.changedAtNanos()));
    }
    view.keySet().retainAll(present);
  }
}
