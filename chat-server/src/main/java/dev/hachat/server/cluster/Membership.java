package dev.hachat.server.cluster;

import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats, liveness, the lease and the quarantine of one instance (docs/consistency.md, R1, R3,
 * R7).
 *
 * <ul>
 *   <li><b>Heartbeat</b>: every {@code heartbeat-interval} the instance writes its record with a
 *       counter one higher than before.
 *   <li><b>Lease</b>: this instance may acknowledge writes only until {@code lease} after the
 *       <em>start</em> of its last heartbeat write that succeeded. A lapsed lease is never renewed:
 *       the generation moves on and the next heartbeat gains a new lease.
 *   <li><b>Quarantine</b>: after gaining a lease (at start, and after every lapse) the instance
 *       takes no new ownership ({@link #ownershipGuard()} answers {@code null}) until every other
 *       instance's fresh view shows the heartbeat that gained it.
 *   <li><b>Death</b>: another instance is dead for a restore whose load started at ℓ only if, on a
 *       fresh view, the evidence was there at ℓ already: its counter unchanged since ℓ − timeout,
 *       or it missing from the registry since ℓ − timeout, or its record saying it stopped
 *       gracefully. No wall clocks of two machines are ever compared.
 * </ul>
 *
 * <p>Threading: {@link #tick()} runs on one event loop (a periodic timer); the view and lease are
 * published through volatile fields and a concurrent map for any thread to read.
 */
public final class Membership {
  private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

  /** Records of instances gone from the registry, kept so their absence can be timed. */
  private static final int GONE_MAX = 1000;

  private final Vertx vertx;
  private final InstanceRegistry registry;
  private final HaOptions options;
  private final LongSupplier nanos;
  private final String self;
  private final Supplier<InstanceRecord> selfRecord;
  private final Map<String, Seen> view = new ConcurrentHashMap<>();
  private final Runnable onLeaseLost;
  private final long timeoutNanos;
  private final long freshNanos;
  private volatile long leaseUntil = Long.MIN_VALUE;
  private volatile long quarantineUntil = Long.MIN_VALUE;
  private volatile boolean leaseHeld;
  private volatile boolean stopped;
  private volatile long generation;

  /** Start (local nanos) of the poll the view reflects. */
  private volatile long viewStartedNanos;

  /** When the first poll of the current gap-free run of polls was seen (absence is timed here). */
  private volatile long runStartNanos;

  /** Absence of a record pruned from the view is timed from here at the earliest. */
  private volatile long prunedGoneNanos;

  private volatile boolean pruned;

  /** Instances never seen in the registry, by when this instance was first asked about them. */
  private final Map<String, Long> askedWhileMissing = new ConcurrentHashMap<>();

  private volatile boolean polledOnce;
  private final AtomicReference<Future<Void>> extraPoll = new AtomicReference<>();
  private volatile InstanceRecord lastSelf;
  private final AtomicLong seq = new AtomicLong();
  private boolean beating;
  private long timer = -1;

  /**
   * What this instance saw of another: its record, when (local nanos) the record last changed, and
   * since when it has been missing from the registry ({@code present} false).
   */
  private record Seen(
      InstanceRecord record, long changedAtNanos, boolean present, long goneAtNanos) {}

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
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatTimeout());
    this.freshNanos = TimeUnit.MILLISECONDS.toNanos(options.viewFreshMillis());
  }

  /**
   * Writes the first heartbeat (so the lease is held, in quarantine, once this completes) and
   * starts ticking.
   */
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

  /**
   * Completes once a lease is held and its quarantine is over (at once if so): a starting instance
   * reports ready only then.
   */
  public Future<Void> whenOutOfQuarantine() {
    if (!inQuarantine()) {
      return Future.succeededFuture();
    }
    // No lease yet (the first heartbeat was slow): the periodic tick gains one; check again then.
    long wait = leaseValid() ? quarantineLeftMillis() : options.getHeartbeatInterval();
    Promise<Void> p = Promise.promise();
    vertx.setTimer(Math.max(1, wait), t -> whenOutOfQuarantine().onComplete(p));
    return p.future();
  }

  /** Drops the lease for good: nothing held may acknowledge again. Then {@link #deregister()}. */
  public void stop() {
    stopped = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    leaseHeld = false;
    generation++;
    leaseUntil = Long.MIN_VALUE;
  }

  /**
   * Writes this instance's last record, saying it stopped (graceful stop, after {@link #stop()}):
   * others may then restore its chats at once. The record expires like any other.
   */
  public Future<Void> deregister() {
    InstanceRecord rec = lastSelf != null ? lastSelf : selfRecord.get();
    return registry.heartbeat(withState(rec, InstanceRecord.STOPPED, seq.incrementAndGet()));
  }

  /**
   * One round: check the lease, heartbeat, refresh the view. Public for tests; the Future completes
   * once the view is refreshed (or the poll failed).
   */
  public Future<Void> tick() {
    if (stopped) {
      return Future.succeededFuture();
    }
    checkLease();
    if (!beating) {
      heartbeat();
    }
    return poll().otherwiseEmpty();
  }

  /** The clock this membership measures with (local monotonic nanos). */
  public long nanoTime() {
    return nanos.getAsLong();
  }

  /**
   * True while this instance may acknowledge writes (quarantine aside, see {@link
   * #ownershipGuard}).
   */
  public boolean leaseValid() {
    return leaseHeld && nanos.getAsLong() - leaseUntil < 0;
  }

  /** True while the lease is held but its quarantine is not over (or no lease is held at all). */
  public boolean inQuarantine() {
    return !leaseValid() || nanos.getAsLong() - quarantineUntil < 0;
  }

  /** Milliseconds of quarantine left of the lease held now (0 if none; also 0 without a lease). */
  public long quarantineLeftMillis() {
    if (!leaseValid()) {
      return 0;
    }
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(quarantineUntil - nanos.getAsLong()) + 1);
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

  /**
   * The acknowledge guard of a session this instance is about to create or claim, or {@code null}
   * while it may take no new ownership (no lease, or in quarantine; R7). Take it <em>before</em>
   * the create or claim is sent: a claim sent under one lease can then never acknowledge under a
   * later one, whose quarantine it skipped.
   */
  public BooleanSupplier ownershipGuard() {
    long taken = generation; // first: the checks below then hold for it or it is already dead
    if (!leaseValid() || nanos.getAsLong() - quarantineUntil < 0) {
      return null;
    }
    return () -> canAcknowledge(taken);
  }

  /** Whether {@code instanceId} is alive as far as this instance can tell (dead only by R3). */
  public boolean isAlive(String instanceId) {
    if (self.equals(instanceId)) {
      return leaseValid();
    }
    return !deadSince(instanceId, nanos.getAsLong());
  }

  /**
   * True if {@code instanceId} is dead by R3 with evidence this instance had already at {@code
   * sinceNanos} (the start of a restore's load): on a fresh view, its heartbeat counter unchanged
   * since {@code sinceNanos − timeout}, or its record missing from every poll since then, or its
   * record saying it stopped, first seen by then. Every acknowledgement it made is then in a store
   * read that started at {@code sinceNanos} (docs/consistency.md).
   */
  public boolean deadSince(String instanceId, long sinceNanos) {
    if (self.equals(instanceId)) {
      return false;
    }
    if (!viewFresh(nanos.getAsLong())) {
      return false; // no fresh view of the registry: nobody may be declared dead
    }
    Seen s = view.get(instanceId);
    if (s == null) {
      // Never seen: missing since this run of polls began or, later, since it was first asked
      // about (a newly started instance is missing from older polls, R3).
      if (askedWhileMissing.size() >= GONE_MAX) {
        askedWhileMissing.clear();
      }
      long asked = askedWhileMissing.computeIfAbsent(instanceId, id -> nanos.getAsLong());
      long missingSince = later(runStartNanos, asked);
      if (pruned) {
        missingSince = later(missingSince, prunedGoneNanos);
      }
      return sinceNanos - missingSince >= timeoutNanos;
    }
    if (!s.present()) {
      return sinceNanos - later(s.goneAtNanos(), runStartNanos) >= timeoutNanos;
    }
    if (s.record().stopped()) {
      return sinceNanos - s.changedAtNanos() >= 0;
    }
    return sinceNanos - s.changedAtNanos() >= timeoutNanos;
  }

  private static long later(long a, long b) {
    return a - b > 0 ? a : b;
  }

  private boolean viewFresh(long now) {
    return polledOnce && now - viewStartedNanos <= freshNanos;
  }

  /**
   * Completes once the view of the registry is fresh: at once if it is, else after one more poll
   * (shared by all callers meanwhile, bounded by {@code heartbeat-interval}). A restore asks for
   * this before it decides that an owner is dead, so a view that went stale under load delays a
   * restore instead of failing it.
   */
  public Future<Void> freshView() {
    if (viewFresh(nanos.getAsLong())) {
      return Future.succeededFuture();
    }
    Promise<Void> promise = Promise.promise();
    Future<Void> running = extraPoll.compareAndExchange(null, promise.future());
    if (running != null) {
      return running;
    }
    poll()
        .onComplete(
            ar -> {
              extraPoll.set(null);
              promise.handle(ar);
            });
    return promise.future();
  }

  private Future<Void> poll() {
    long started = nanos.getAsLong();
    return registry
        .list()
        .timeout(options.getHeartbeatInterval(), TimeUnit.MILLISECONDS)
        .onSuccess(records -> observe(records, started))
        .onFailure(e -> LOG.debug("[{}] registry poll failed: {}", self, e.toString()))
        .mapEmpty();
  }

  /** The last record seen of an instance (this one included). */
  public Optional<InstanceRecord> record(String instanceId) {
    if (self.equals(instanceId)) {
      return Optional.ofNullable(lastSelf);
    }
    Seen s = view.get(instanceId);
    return s == null || !s.present() ? Optional.empty() : Optional.of(s.record());
  }

  /** An instance as this one sees it. */
  public record Member(InstanceRecord record, boolean alive, boolean self) {}

  /** Every instance in the last registry view, this one first, with its liveness. */
  public List<Member> members() {
    List<Member> out = new ArrayList<>();
    if (lastSelf != null) {
      out.add(new Member(lastSelf, leaseValid(), true));
    }
    view.values().stream()
        .filter(Seen::present)
        .map(Seen::record)
        .sorted(Comparator.comparing(InstanceRecord::instanceId))
        .forEach(r -> out.add(new Member(r, isAlive(r.instanceId()), false)));
    return out;
  }

  /** Records of the instances alive now, this one included while its lease holds. */
  public List<InstanceRecord> alive() {
    List<InstanceRecord> out =
        new ArrayList<>(
            view.values().stream()
                .filter(s -> s.present() && isAlive(s.record().instanceId()))
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
    InstanceRecord record = withState(rec, rec.state(), seq.incrementAndGet());
    return registry
        .heartbeat(record)
        .timeout(options.getHeartbeatInterval(), TimeUnit.MILLISECONDS)
        .andThen(
            ar -> {
              beating = false;
              if (ar.failed()) {
                LOG.debug("[{}] heartbeat failed: {}", self, ar.cause().toString());
                return;
              }
              if (stopped) {
                return;
              }
              lastSelf = record;
              long now = nanos.getAsLong();
              long until = started + TimeUnit.MILLISECONDS.toNanos(options.leaseMillis());
              if (leaseValid()) {
                // Renew only while the lease still holds (docs/consistency.md, R1).
                leaseUntil = Math.max(leaseUntil, until);
              } else if (!leaseHeld
                  && startedGeneration == generation
                  && until - now > 0
                  && now - started
                      <= TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatInterval())) {
                // (Re)gain: every session held before a loss is of an older generation. The write
                // completed within one interval of its start, so the quarantine covers it (R7).
                quarantineUntil =
                    started + TimeUnit.MILLISECONDS.toNanos(options.quarantineMillis());
                leaseUntil = until;
                leaseHeld = true;
                LOG.info(
                    "[{}] lease held (generation {}); quarantine: no new ownership for {} ms",
                    self,
                    generation,
                    options.quarantineMillis());
              }
            })
        .mapEmpty();
  }

  private InstanceRecord withState(InstanceRecord rec, String state, long counter) {
    return new InstanceRecord(
        self,
        rec.webapi(),
        rec.esp(),
        rec.admin(),
        state,
        rec.sessions(),
        rec.limit(),
        counter,
        rec.startedAt(),
        rec.version());
  }

  private synchronized void observe(List<InstanceRecord> records, long pollStarted) {
    if (polledOnce && pollStarted - viewStartedNanos <= 0) {
      return; // an older poll that completed late: the view already reflects a newer one
    }
    long now = nanos.getAsLong();
    if (!polledOnce || pollStarted - viewStartedNanos > freshNanos) {
      // A gap (first poll, a pause, failed polls): absence is timed afresh from here.
      runStartNanos = now;
    }
    viewStartedNanos = pollStarted;
    polledOnce = true;
    Set<String> present = new HashSet<>();
    for (InstanceRecord r : records) {
      if (self.equals(r.instanceId()) || r.isWebApiServer()) {
        continue; // web API servers' rows are for the state table only
      }
      present.add(r.instanceId());
      askedWhileMissing.remove(r.instanceId());
      view.compute(
          r.instanceId(),
          (id, old) ->
              old == null || !old.present() || changed(old.record(), r)
                  ? new Seen(r, now, true, 0)
                  : new Seen(r, old.changedAtNanos(), true, 0));
    }
    for (Map.Entry<String, Seen> e : view.entrySet()) {
      Seen s = e.getValue();
      if (s.present() && !present.contains(e.getKey())) {
        e.setValue(new Seen(s.record(), s.changedAtNanos(), false, now));
      }
    }
    if (view.size() - present.size() > GONE_MAX) {
      pruneGone();
    }
  }

  /** A record changed when its counter moved or it is another incarnation (restart, same id). */
  private static boolean changed(InstanceRecord old, InstanceRecord r) {
    return old.heartbeat() != r.heartbeat() || old.startedAt() != r.startedAt();
  }

  /** Forgets the longest-gone records; never-seen instances count as missing since then. */
  private void pruneGone() {
    List<Map.Entry<String, Seen>> gone =
        view.entrySet().stream()
            .filter(e -> !e.getValue().present())
            .sorted(Comparator.comparingLong(e -> e.getValue().goneAtNanos()))
            .toList();
    for (int i = 0; i < gone.size() - GONE_MAX / 2; i++) {
      Seen s = gone.get(i).getValue();
      if (!pruned || s.goneAtNanos() - prunedGoneNanos > 0) {
        prunedGoneNanos = s.goneAtNanos();
        pruned = true;
      }
      view.remove(gone.get(i).getKey());
    }
  }
}
