package dev.hachat.server.cluster;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's own lease (docs/consistency.md, R1, R2, R7): its heartbeat in the registry, the
 * lease the heartbeats gain and renew, the generation a loss raises, the quarantine after a gain,
 * and the graceful stop that drops the lease for good.
 *
 * <ul>
 *   <li><b>Heartbeat</b>: every {@code heartbeat-interval} (driven by {@link Membership}) the
 *       instance writes its record with a counter one higher than before.
 *   <li><b>Lease</b>: this instance may acknowledge writes only until {@code lease} after the
 *       <em>start</em> of its last heartbeat write that succeeded. A lapsed lease is never renewed:
 *       the generation moves on and the next heartbeat gains a new lease, if its write completed
 *       within {@code heartbeat-interval} of its start.
 *   <li><b>Quarantine</b>: after gaining a lease the instance takes no new ownership ({@link
 *       #ownershipGuard()} answers {@code null}) for {@code quarantine} from the gaining
 *       heartbeat's start, so every other instance's fresh view shows that heartbeat first.
 * </ul>
 *
 * <p>Threading: the lease lives on its own context ({@link OwnContext}); heartbeats, lapses and the
 * stop change it only there and publish a {@link LeaseSnapshot} through the one volatile field
 * {@code snapshot}. The readers ({@link #valid}, {@link #ownershipGuard}, {@link #canAcknowledge},
 * …) run on any thread and read that snapshot once; the changes ({@link #start}, {@link #tick},
 * {@link #stop}, {@link #deregister}) hop onto the context and return Futures. {@code onLeaseLost}
 * runs on the context.
 */
public final class OwnLease {
  private static final Logger LOG = LoggerFactory.getLogger(OwnLease.class);

  private final OwnContext context;
  private final InstanceRegistry registry;
  private final HaOptions options;
  private final String self;
  private final Supplier<InstanceRecord> selfRecord;
  private final LongSupplier nanos;
  private final Runnable onLeaseLost;
  private final long intervalNanos;
  private volatile LeaseSnapshot snapshot = LeaseSnapshot.NONE;

  // Bookkeeping nobody else reads; on the context only.
  private long counter;
  private boolean beating;
  private long timer = -1;

  /**
   * @param selfRecord this instance's record as it should read now (its counter is set here)
   * @param nanos the local monotonic clock
   * @param onLeaseLost fences every session held (runs on this lease's context)
   */
  public OwnLease(
      OwnContext context,
      InstanceRegistry registry,
      HaOptions options,
      String self,
      Supplier<InstanceRecord> selfRecord,
      LongSupplier nanos,
      Runnable onLeaseLost) {
    this.context = context;
    this.registry = registry;
    this.options = options;
    this.self = self;
    this.selfRecord = selfRecord;
    this.nanos = nanos;
    this.onLeaseLost = onLeaseLost;
    this.intervalNanos = TimeUnit.MILLISECONDS.toNanos(options.getHeartbeatInterval());
  }

  /** The lease as of now (immutable; judge it with {@link #nanoTime()}). */
  public LeaseSnapshot snapshot() {
    return snapshot;
  }

  long nanoTime() {
    return nanos.getAsLong();
  }

  /** Writes the first heartbeat: once it completed in time, the lease is held, in quarantine. */
  public Future<Void> start() {
    return context.call(this::heartbeat);
  }

  /** Runs {@code tick} every {@code heartbeat-interval} on this lease's context until the stop. */
  void tickPeriodically(Runnable tick) {
    context.run(
        () -> {
          assert context.isCurrent() : "lease changed off its context";
          if (!snapshot.stopped() && timer < 0) {
            timer = context.setPeriodic(options.getHeartbeatInterval(), t -> tick.run());
          }
        });
  }

  /**
   * One round: notice a lapse, then heartbeat unless one is still in flight. Completes when the
   * heartbeat it started is answered (never fails).
   */
  public Future<Void> tick() {
    return context.call(
        () -> {
          assert context.isCurrent() : "lease changed off its context";
          if (snapshot.stopped()) {
            return Future.succeededFuture();
          }
          checkLease();
          return beating ? Future.<Void>succeededFuture() : heartbeat().otherwiseEmpty();
        });
  }

  /** Drops the lease for good: nothing held may acknowledge again, no heartbeat brings it back. */
  public Future<Void> stop() {
    return context.call(
        () -> {
          assert context.isCurrent() : "lease changed off its context";
          if (timer >= 0) {
            context.cancelTimer(timer);
            timer = -1;
          }
          snapshot = snapshot.dropped();
          return Future.succeededFuture();
        });
  }

  /**
   * Writes this instance's last record, saying it stopped (after {@link #stop()}, which it follows
   * on the context): others may then restore its chats at once. It expires like any other.
   */
  public Future<Void> deregister() {
    return context.call(
        () -> {
          assert context.isCurrent() : "lease changed off its context";
          InstanceRecord last = snapshot.lastSelf();
          InstanceRecord rec = last != null ? last : selfRecord.get();
          return registry.heartbeat(withState(rec, InstanceRecord.STOPPED, ++counter));
        });
  }

  /** Completes once a lease is valid and its quarantine is over (at once if so). */
  public Future<Void> whenOutOfQuarantine() {
    LeaseSnapshot s = snapshot;
    long now = nanos.getAsLong();
    if (!s.inQuarantine(now)) {
      return Future.succeededFuture();
    }
    // No lease yet (the first heartbeat was slow): the periodic tick gains one; check again then.
    long wait = s.valid(now) ? s.quarantineLeftMillis(now) : options.getHeartbeatInterval();
    Promise<Void> p = Promise.promise();
    context.setTimer(Math.max(1, wait), t -> whenOutOfQuarantine().onComplete(p));
    return p.future();
  }

  /** True while this instance may acknowledge writes (quarantine aside). */
  public boolean valid() {
    return snapshot.valid(nanos.getAsLong());
  }

  /** True while the lease is valid and still of {@code generation}. */
  public boolean canAcknowledge(long generation) {
    return snapshot.canAcknowledge(generation, nanos.getAsLong());
  }

  /**
   * The acknowledge guard of a session about to be created or claimed, or {@code null} while no new
   * ownership may be taken (no lease, or in quarantine; R7). Take it <em>before</em> the create or
   * claim is sent: a claim sent under one lease then never acknowledges under a later one.
   */
  public BooleanSupplier ownershipGuard() {
    LeaseSnapshot s = snapshot;
    if (s.inQuarantine(nanos.getAsLong())) {
      return null;
    }
    long taken = s.generation();
    return () -> canAcknowledge(taken);
  }

  private void checkLease() {
    assert context.isCurrent() : "lease changed off its context";
    LeaseSnapshot s = snapshot;
    if (s.held() && !s.valid(nanos.getAsLong())) {
      snapshot = s.lost();
      LOG.warn(
          "[{}] lease lost: no successful heartbeat for too long; fencing held sessions", self);
      onLeaseLost.run();
    }
  }

  private Future<Void> heartbeat() {
    assert context.isCurrent() : "heartbeat off the lease's context";
    beating = true;
    long started = nanos.getAsLong();
    long startedGeneration = snapshot.generation();
    InstanceRecord rec = selfRecord.get();
    InstanceRecord record = withState(rec, rec.state(), ++counter);
    return context
        .back(
            registry
                .heartbeat(record)
                .timeout(options.getHeartbeatInterval(), TimeUnit.MILLISECONDS))
        .andThen(ar -> answered(ar, record, started, startedGeneration));
  }

  private void answered(
      AsyncResult<Void> ar, InstanceRecord record, long started, long startedGeneration) {
    assert context.isCurrent() : "heartbeat answer off the lease's context";
    beating = false;
    if (ar.failed()) {
      LOG.debug("[{}] heartbeat failed: {}", self, ar.cause().toString());
      return;
    }
    LeaseSnapshot s = snapshot;
    if (s.stopped()) {
      return;
    }
    long now = nanos.getAsLong();
    long until = started + TimeUnit.MILLISECONDS.toNanos(options.leaseMillis());
    if (s.valid(now)) {
      // Renew only while the lease still holds (docs/consistency.md, R1).
      snapshot = s.renewed(record, until);
    } else if (!s.held()
        && startedGeneration == s.generation()
        && until - now > 0
        && now - started <= intervalNanos) {
      // (Re)gain: every session held before a loss is of an older generation. The write
      // completed within one interval of its start, so the quarantine covers it (R7).
      snapshot =
          s.gained(
              record, until, started + TimeUnit.MILLISECONDS.toNanos(options.quarantineMillis()));
      LOG.info(
          "[{}] lease held (generation {}); quarantine: no new ownership for {} ms",
          self,
          s.generation(),
          options.quarantineMillis());
    } else {
      snapshot = s.wrote(record);
    }
  }

  private InstanceRecord withState(InstanceRecord rec, String state, long heartbeat) {
    return new InstanceRecord(
        self,
        rec.webapi(),
        rec.esp(),
        rec.admin(),
        state,
        rec.sessions(),
        rec.limit(),
        heartbeat,
        rec.startedAt(),
        rec.version());
  }
}
