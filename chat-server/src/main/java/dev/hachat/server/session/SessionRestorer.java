package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.Ownership;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a session this instance does not hold into it: load it from the store, and if its owner is
 * dead (or gave it up, or is this instance) claim the next epoch by compare-and-set and rebuild it;
 * a live owner is never robbed: the caller gets {@link ErrorCode#NOT_OWNER} with the owner's
 * location. Concurrent requests for one session share one restore. Thread-safe.
 */
final class SessionRestorer {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRestorer.class);

  private final String instanceId;
  private final TranscriptStore store;
  private final Membership membership;
  private final Function<String, SessionLoop> loops;
  private final Function<StoredSessionClaim, Session> install;
  private final Supplier<BooleanSupplier> ownershipGuard;
  private final Supplier<ChatException> quarantined;
  private final Kpi kpi;
  private final Map<String, Future<Session>> inFlight = new ConcurrentHashMap<>();

  /** The gate's ticket of each restore in {@link #inFlight}. */
  private final Map<String, RestoreGate.Ticket> tickets = new ConcurrentHashMap<>();

  private final RestoreGate gate;

  /**
   * Owners recently found alive, by chat: while a dead owner is not yet declared dead, its clients
   * retry, and answering each retry from the store would put a read per retry on it (thousands a
   * second when an instance with thousands of chats dies). An entry answers while its owner stays
   * alive in the view and keeps its chats ({@link #keepsItsChats}), for {@link #rememberNanos} at
   * the most; it only ever produces redirects.
   */
  private final Map<String, KnownOwner> knownOwners = new ConcurrentHashMap<>();

  private record KnownOwner(String owner, long untilNanos) {}

  private static final int KNOWN_OWNERS_MAX = 100_000;

  private final long rememberNanos;

  /**
   * How long a redirect to a dead owner's heir is remembered: short, since two survivors whose
   * views of the membership differ for a moment may each take the other for the heir.
   */
  private static final long HEIR_MEMORY_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  /**
   * A loaded session, the ownership this instance now holds, and the acknowledge guard taken before
   * it was claimed.
   */
  record StoredSessionClaim(
      StoredSession stored,
      Ownership ownership,
      SessionLoop loop,
      BooleanSupplier canAcknowledge) {}

  /** Whether this instance may take chats now, and where a chat goes when it may not. */
  interface Policy {
    /** False while the instance hands its chats over or stops. */
    boolean mayClaim();

    /** The other instance a chat should go to, if any is alive. */
    Optional<InstanceRecord> survivorFor(String chatId);

    /**
     * The instance that should restore a chat whose owner died: the same choice on every instance
     * and web API server ({@link dev.hachat.store.Rendezvous}); empty if none (then this one does).
     */
    Optional<InstanceRecord> heirOf(String chatId, String deadOwner);
  }

  private final Policy policy;

  SessionRestorer(
      String instanceId,
      TranscriptStore store,
      Membership membership,
      Function<String, SessionLoop> loops,
      Function<StoredSessionClaim, Session> install,
      Supplier<BooleanSupplier> ownershipGuard,
      Supplier<ChatException> quarantined,
      Kpi kpi,
      Policy policy,
      long rememberOwnerMillis,
      int restoreConcurrency) {
    this.policy = policy;
    this.gate = new RestoreGate(restoreConcurrency);
    this.rememberNanos = TimeUnit.MILLISECONDS.toNanos(rememberOwnerMillis);
    this.instanceId = instanceId;
    this.store = store;
    this.membership = membership;
    this.loops = loops;
    this.install = install;
    this.ownershipGuard = ownershipGuard;
    this.quarantined = quarantined;
    this.kpi = kpi;
    kpi.restores(gate::running, gate::waiting);
  }

  /** A restore a client waits for (see {@link #restore(String, boolean)}). */
  Future<Session> restore(String chatId) {
    return restore(chatId, true);
  }

  /**
   * Restores {@code chatId}, sharing a restore of it already running. At most {@code
   * ha.restore-concurrency} run at once ({@link RestoreGate}); {@code client} false (the proactive
   * restore, the orphan sweep): after every restore a client waits for.
   */
  Future<Session> restore(String chatId, boolean client) {
    Future<Session> running = inFlight.get(chatId);
    if (running != null) {
      return shared(chatId, running, client);
    }
    io.vertx.core.Promise<Session> promise = io.vertx.core.Promise.promise();
    Future<Session> previous = inFlight.putIfAbsent(chatId, promise.future());
    if (previous != null) {
      return shared(chatId, previous, client);
    }
    String redirect = remembered(chatId);
    if (redirect != null) {
      inFlight.remove(chatId, promise.future());
      promise.fail(notOwner(redirect));
      return promise.future();
    }
    RestoreGate.Ticket ticket = gate.enter(client);
    tickets.put(chatId, ticket);
    ticket
        .admitted()
        .compose(v -> load(chatId, true, 1))
        .recover(this::typed)
        .onComplete(
            ar -> {
              ticket.leave();
              tickets.remove(chatId, ticket);
              inFlight.remove(chatId, promise.future());
              promise.handle(ar);
            });
    return promise.future();
  }

  private Future<Session> shared(String chatId, Future<Session> running, boolean client) {
    RestoreGate.Ticket t = tickets.get(chatId);
    if (client && t != null) {
      t.clientWaits();
    }
    return running;
  }

  /**
   * Loads the chat and claims or redirects it. {@code reloads}: how often a load may be repeated
   * because its owner was found dead only after the load began.
   */
  private Future<Session> load(String chatId, boolean mayRetry, int reloads) {
    long loadStarted = membership.nanoTime();
    return store
        .load(chatId)
        .compose(stored -> claimOrRedirect(stored, loadStarted, mayRetry, reloads));
  }

  private Future<Session> claimOrRedirect(
      StoredSession stored, long loadStarted, boolean mayRetry, int reloads) {
    long t0 = System.nanoTime();
    Ownership o = stored.ownership();
    SessionLoop loop = loops.apply(stored.session().id());
    if (stored.isClosed()) {
      // Read-only: the transcript stays readable; nothing to claim, nothing to acknowledge.
      return Future.succeededFuture(
          install.apply(new StoredSessionClaim(stored, o, loop, () -> false)));
    }
    if (o.owner().equals(instanceId) || o.released()) {
      return claim(stored, loop, t0, mayRetry);
    }
    // Decide on a fresh view only; if none can be had, the owner counts as alive.
    String chatId = stored.session().id();
    return membership
        .freshView()
        .transform(
            ar -> {
              if (membership.deadSince(o.owner(), loadStarted)) {
                // Dead already when the load began: the load holds all it acknowledged (R3).
                // One instance restores it, so its customer and its agent, who may have come to
                // different survivors, never race for the claim.
                Optional<InstanceRecord> heir = policy.heirOf(chatId, o.owner());
                if (heir.isPresent() && !heir.get().instanceId().equals(instanceId)) {
                  remember(chatId, heir.get().instanceId(), HEIR_MEMORY_NANOS);
                  return Future.failedFuture(notOwner(heir.get().instanceId()));
                }
                return claim(stored, loop, t0, mayRetry);
              }
              if (reloads > 0 && !membership.isAlive(o.owner())) {
                // It died after the load began and may have acknowledged meanwhile: load again.
                return load(chatId, mayRetry, reloads - 1);
              }
              remember(chatId, o.owner());
              return Future.failedFuture(notOwner(o.owner()));
            });
  }

  private Future<Session> claim(StoredSession stored, SessionLoop loop, long t0, boolean mayRetry) {
    Ownership o = stored.ownership();
    String chatId = stored.session().id();
    // A chat this instance gave away (evacuate) goes to a survivor, and while this instance hands
    // its chats over or stops it takes none: the request is sent on to a survivor.
    boolean releasedHere = o.released() && o.owner().equals(instanceId);
    if (releasedHere || !policy.mayClaim()) {
      Optional<InstanceRecord> next = policy.survivorFor(chatId);
      if (next.isPresent()) {
        if (!o.released() && o.owner().equals(instanceId)) {
          // Still ours in the store, but not held (its copy was fenced when the lease lapsed), so
          // no hand-over releases it. The survivor sees this instance alive and would send the
          // request back here until the hand-overs end: release it as a hand-over does. Nothing
          // here acknowledges for it any more (fenced copies never do; none was claimed again).
          return store
              .release(chatId, o.epoch())
              .transform(
                  ar -> {
                    boolean given =
                        ar.succeeded() || StoreException.is(ar.cause(), StoreErrorKind.CONFLICT);
                    // CONFLICT: somebody claimed it meanwhile; the survivor knows where it is.
                    return Future.failedFuture(
                        given ? notOwner(next.get().instanceId()) : ar.cause());
                  });
        }
        return Future.failedFuture(notOwner(next.get().instanceId()));
      }
      if (!policy.mayClaim()) {
        return Future.failedFuture(
            new ChatException(
                ErrorCode.INSTANCE_UNAVAILABLE,
                "this instance is handing its chats over and sees no other instance; retry"));
      }
      // Released here and nobody else alive: take it back.
    }
    // Taken before the claim is sent: a claim sent under one lease never acknowledges under a
    // later one, and none is sent in quarantine (R7).
    BooleanSupplier guard = ownershipGuard.get();
    if (guard == null) {
      return Future.failedFuture(quarantined.get());
    }
    return store
        .claim(o, instanceId, stored.lastIndex())
        .compose(
            claimed -> {
              Session s = install.apply(new StoredSessionClaim(stored, claimed, loop, guard));
              LOG.info(
                  "[{}|{}] restored from {} at epoch {} ({} entries)",
                  instanceId,
                  stored.session().id(),
                  o.owner(),
                  claimed.epoch(),
                  stored.entries().size());
              kpi.sessionRestored(System.nanoTime() - t0);
              return s.restoredNotice(o.released()).map(e -> s);
            },
            e -> {
              if (e instanceof StoreException se && se.kind() == StoreErrorKind.CONFLICT) {
                if (se.current().owner().equals(instanceId) && mayRetry) {
                  // Our own earlier claim (a timed-out attempt that did apply) won: claim again
                  // from what the store holds now, once.
                  return load(stored.session().id(), false, 0);
                }
                // Another instance claimed first: it owns the session now.
                return Future.failedFuture(notOwner(se.current().owner()));
              }
              return Future.failedFuture(e); // counted in typed()
            });
  }

  /**
   * Where a remembered owner sends the request without a load: the owner itself while it keeps its
   * chats; once it is dead, the chat's heir if that is another live instance (the redirect the load
   * would end in: at the moment an instance is judged dead, every survivor but the heir would
   * otherwise load each of its chats once more just to say so). Null: load.
   */
  private String remembered(String chatId) {
    KnownOwner known = knownOwners.get(chatId);
    if (known == null) {
      return null;
    }
    if (membership.nanoTime() - known.untilNanos() < 0) {
      if (keepsItsChats(known.owner())) {
        return known.owner();
      }
      if (!membership.isAlive(known.owner())) {
        Optional<InstanceRecord> heir = policy.heirOf(chatId, known.owner());
        if (heir.isPresent()
            && !heir.get().instanceId().equals(instanceId)
            && membership.isAlive(heir.get().instanceId())) {
          remember(chatId, heir.get().instanceId(), HEIR_MEMORY_NANOS);
          return heir.get().instanceId();
        }
      }
    }
    knownOwners.remove(chatId, known);
    return null;
  }

  /**
   * True while {@code owner} is alive in the view and not handing its chats over (an evacuating
   * owner sends the chat on, possibly here: a remembered redirect to it would loop).
   */
  private boolean keepsItsChats(String owner) {
    return membership.isAlive(owner)
        && membership
            .record(owner)
            .map(
                r ->
                    !EngineState.EVACUATING.wireName().equals(r.state())
                        && !InstanceRecord.STOPPED.equals(r.state()))
            .orElse(true);
  }

  private void remember(String chatId, String owner) {
    remember(chatId, owner, rememberNanos);
  }

  private void remember(String chatId, String owner, long forNanos) {
    if (knownOwners.size() >= KNOWN_OWNERS_MAX) {
      knownOwners.clear();
    }
    knownOwners.put(chatId, new KnownOwner(owner, membership.nanoTime() + forNanos));
  }

  private ChatException notOwner(String owner) {
    JsonObject details = new JsonObject().put("owner", owner);
    membership
        .record(owner)
        .ifPresent(
            (InstanceRecord r) ->
                details.put("webapi", r.webapi()).put("esp", r.esp()).put("admin", r.admin()));
    return new ChatException(
        ErrorCode.NOT_OWNER,
        "instance " + owner + " owns this chat; send the request there",
        details);
  }

  private Future<Session> typed(Throwable e) {
    if (e instanceof ChatException) {
      return Future.failedFuture(e);
    }
    if (StoreException.is(e, StoreErrorKind.NOT_FOUND)) {
      return Future.failedFuture(
          new ChatException(ErrorCode.CHAT_NOT_FOUND, "no chat with this id"));
    }
    LOG.debug("[{}] restore failed: {}", instanceId, e.toString());
    kpi.sessionRestoreFailed(); // the store could not be read
    return Future.failedFuture(
        new ChatException(
            ErrorCode.STORE_UNAVAILABLE, "the chat could not be loaded from the store; retry"));
  }
}
