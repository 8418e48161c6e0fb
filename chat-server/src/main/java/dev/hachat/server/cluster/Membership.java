package dev.hachat.server.cluster;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The instance's place in the cluster (docs/consistency.md, R1, R3, R7), composed of two parts that
 * each live on a context of their own:
 *
 * <ul>
 *   <li>{@link OwnLease}: the heartbeat, the lease and its generation, the quarantine, the stop;
 *   <li>{@link PeerView}: the registry polls, the freshness and absence of the others, death.
 * </ul>
 *
 * <p>Threading: no state here. The readers ({@link #leaseValid}, {@link #ownershipGuard}, {@link
 * #isAlive}, {@link #deadSince}, {@link #members}, …) run on any thread and judge the parts'
 * immutable snapshots ({@link LeaseSnapshot}, {@link ViewSnapshot}) against the clock; the changes
 * ({@link #start}, {@link #tick}, {@link #stop}, {@link #deregister}, {@link #freshView}) hop onto
 * the part's context and return Futures.
 */
public final class Membership {
  private final String self;
  private final LongSupplier nanos;
  private final OwnLease lease;
  private final PeerView view;

  /**
   * @param selfRecord this instance's record as it should read now (the counter is set here)
   * @param nanos the local monotonic clock ({@code System::nanoTime})
   * @param onLeaseLost fences every session held; runs on the lease's context
   */
  public Membership(
      Vertx vertx,
      InstanceRegistry registry,
      HaOptions options,
      String self,
      Supplier<InstanceRecord> selfRecord,
      LongSupplier nanos,
      Runnable onLeaseLost) {
    this.self = self;
    this.nanos = nanos;
    this.lease =
        new OwnLease(
            OwnContext.create(vertx), registry, options, self, selfRecord, nanos, onLeaseLost);
    this.view = new PeerView(OwnContext.create(vertx), registry, options, self, nanos);
  }

  /** The own lease. */
  public OwnLease lease() {
    return lease;
  }

  /** The view of the other instances. */
  public PeerView view() {
    return view;
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
    return lease
        .start()
        .andThen(
            ar -> {
              if (periodic) {
                lease.tickPeriodically(this::tick);
              }
            });
  }

  /**
   * Completes once a lease is held and its quarantine is over (at once if so): a starting instance
   * reports ready only then.
   */
  public Future<Void> whenOutOfQuarantine() {
    return lease.whenOutOfQuarantine();
  }

  /**
   * Drops the lease for good: nothing held may acknowledge again. Then {@link #deregister()}, which
   * follows it on the lease's context.
   */
  public Future<Void> stop() {
    return lease.stop();
  }

  /**
   * Writes this instance's last record, saying it stopped (graceful stop, after {@link #stop()}):
   * others may then restore its chats at once. The record expires like any other.
   */
  public Future<Void> deregister() {
    return lease.deregister();
  }

  /**
   * One round: check the lease, heartbeat, refresh the view. Public for tests; the Future completes
   * once the heartbeat it started is answered and the view is refreshed (or either failed).
   */
  public Future<Void> tick() {
    if (lease.snapshot().stopped()) {
      return Future.succeededFuture();
    }
    return Future.all(lease.tick().otherwiseEmpty(), view.poll().otherwiseEmpty()).mapEmpty();
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
    return lease.valid();
  }

  /** True while the lease is held but its quarantine is not over (or no lease is held at all). */
  public boolean inQuarantine() {
    return lease.snapshot().inQuarantine(nanoTime());
  }

  /** Milliseconds of quarantine left of the lease held now (0 if none; also 0 without a lease). */
  public long quarantineLeftMillis() {
    return lease.snapshot().quarantineLeftMillis(nanoTime());
  }

  /**
   * The lease generation: raised the moment a lease loss is detected. A session may acknowledge
   * only while the lease is valid and the generation is the one it was taken in.
   */
  public long generation() {
    return lease.snapshot().generation();
  }

  /** True while the lease is valid and still of {@code generation}. */
  public boolean canAcknowledge(long generation) {
    return lease.canAcknowledge(generation);
  }

  /**
   * The acknowledge guard of a session this instance is about to create or claim, or {@code null}
   * while it may take no new ownership (no lease, or in quarantine; R7). Take it <em>before</em>
   * the create or claim is sent: a claim sent under one lease can then never acknowledge under a
   * later one, whose quarantine it skipped.
   */
  public BooleanSupplier ownershipGuard() {
    return lease.ownershipGuard();
  }

  /** Whether {@code instanceId} is alive as far as this instance can tell (dead only by R3). */
  public boolean isAlive(String instanceId) {
    if (self.equals(instanceId)) {
      return leaseValid();
    }
    return !view.deadSince(instanceId, nanoTime());
  }

  /**
   * True if {@code instanceId} is dead by R3 with evidence this instance had already at {@code
   * sinceNanos} (the start of a restore's load): see {@link ViewSnapshot#deadSince}. Never this
   * instance itself.
   */
  public boolean deadSince(String instanceId, long sinceNanos) {
    return !self.equals(instanceId) && view.deadSince(instanceId, sinceNanos);
  }

  /**
   * Completes once the view of the registry is fresh: at once if it is, else after one more poll
   * (shared by all callers meanwhile, bounded by {@code heartbeat-interval}).
   */
  public Future<Void> freshView() {
    return view.freshView();
  }

  /**
   * The other instances this one has seen and judges dead now (R3), those gone from the registry
   * included; empty while the view is not fresh.
   */
  public List<String> dead() {
    long now = nanoTime();
    ViewSnapshot s = view.snapshot();
    List<String> out = new ArrayList<>();
    if (!s.fresh(now)) {
      return out;
    }
    for (String id : s.seen().keySet()) {
      if (!self.equals(id) && s.deadSince(id, now, now)) {
        out.add(id);
      }
    }
    return out;
  }

  /** The last record seen of an instance (this one included). */
  public Optional<InstanceRecord> record(String instanceId) {
    if (self.equals(instanceId)) {
      return Optional.ofNullable(lease.snapshot().lastSelf());
    }
    return view.snapshot().record(instanceId);
  }

  /** An instance as this one sees it. */
  public record Member(InstanceRecord record, boolean alive, boolean self) {}

  /** Every instance in the last registry view, this one first, with its liveness. */
  public List<Member> members() {
    long now = nanoTime();
    LeaseSnapshot own = lease.snapshot();
    ViewSnapshot others = view.snapshot();
    List<Member> out = new ArrayList<>();
    if (own.lastSelf() != null) {
      out.add(new Member(own.lastSelf(), own.valid(now), true));
    }
    for (InstanceRecord r : others.present()) {
      out.add(new Member(r, !others.deadSince(r.instanceId(), now, now), false));
    }
    return out;
  }

  /** Records of the instances alive now, this one included while its lease holds. */
  public List<InstanceRecord> alive() {
    List<InstanceRecord> out = new ArrayList<>();
    for (Member m : members()) {
      if (!m.self() && m.alive()) {
        out.add(m.record());
      }
    }
    LeaseSnapshot own = lease.snapshot();
    if (own.lastSelf() != null && own.valid(nanoTime())) {
      out.add(own.lastSelf());
    }
    return out;
  }
}
