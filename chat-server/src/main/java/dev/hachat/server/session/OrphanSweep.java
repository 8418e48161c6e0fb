package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.HaOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes the open chats of dead instances that nobody came back for, so their final transcripts
 * reach the contact history (docs/ucs.md, "Orphaned chats").
 *
 * <p>Every {@code ha.orphan-sweep-interval}, for each instance this one judges dead ({@link
 * Membership#dead()}, R3) for at least {@code ha.orphan-close-after} since it first saw it dead, it
 * adopts each of that owner's open chats whose heir it is ({@link HeirChats}, so one instance
 * acts): a normal restore ({@link ChatEngine#find}: epoch e+1, every guard of docs/consistency.md
 * unchanged), then a close with {@link ReasonCode#OWNER_LOST}, whose final transcript the normal
 * close path writes. A chat a client resumed meanwhile has another owner and is skipped (stale
 * index rows too). At most {@code ha.orphan-sweep-concurrency} adoptions run at once. Failures are
 * counted ({@code orphan_sweep_failures}) and logged at WARN once per kind, then at DEBUG.
 *
 * <p>Threading: a pass runs on the sweep's own context and passes never overlap; the dead-since map
 * is touched only at the start of a pass, on that context. The set of failure kinds already warned
 * about is concurrent (adoptions complete on session loops).
 */
public final class OrphanSweep {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

  private final ChatEngine engine;
  private final TranscriptStore store;
  private final Membership membership;
  private final HeirChats heirChats;
  private final HaOptions options;
  private final Kpi kpi;
  private final String self;

  /** Dead instances by when (membership nanos) this one first saw them dead; on the context. */
  private final Map<String, Long> deadSince = new HashMap<>();

  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private final PeriodicPass passes;

  private OrphanSweep(
      Vertx vertx, ChatEngine engine, TranscriptStore store, Membership membership, HaOptions o) {
    this.passes = new PeriodicPass(vertx, this::pass);
    this.engine = engine;
    this.store = store;
    this.membership = membership;
    this.options = o;
    this.kpi = engine.kpi();
    this.self = engine.instanceId();
    this.heirChats =
        new HeirChats(passes.context(), engine, store, new Survivors(membership, self));
  }

  /** A sweep for {@code engine}'s instance; nothing runs before {@link #start}. */
  public static OrphanSweep create(
      Vertx vertx,
      ChatEngine engine,
      TranscriptStore store,
      Membership membership,
      HaOptions options) {
    return new OrphanSweep(vertx, engine, store, membership, options);
  }

  /** Sweeps every {@code ha.orphan-sweep-interval}. */
  public void start() {
    passes.start(options.getOrphanSweepInterval());
  }

  public void stop() {
    passes.stop();
  }

  /**
   * One pass (public for tests): completes with the number of chats closed {@code OWNER_LOST}; a
   * pass asked for while one runs returns that one.
   */
  public Future<Integer> sweep() {
    return passes.run();
  }

  private Future<Integer> pass() {
    long now = membership.nanoTime();
    List<String> dead = membership.dead();
    deadSince.keySet().retainAll(dead);
    List<String> due = new ArrayList<>();
    for (String owner : dead) {
      long since = deadSince.computeIfAbsent(owner, k -> now);
      if (now - since >= TimeUnit.MILLISECONDS.toNanos(options.getOrphanCloseAfter())) {
        due.add(owner);
      }
    }
    if (due.isEmpty() || membership.inQuarantine() || !membership.leaseValid()) {
      return Future.succeededFuture(0);
    }
    Future<Integer> chain = Future.succeededFuture(0);
    for (String owner : due) {
      chain =
          chain.compose(
              n ->
                  heirChats
                      .forEach(owner, options.getOrphanSweepConcurrency(), id -> adopt(id, owner))
                      .map(m -> n + m));
    }
    return chain.recover(
        e -> {
          failed("read", e);
          return Future.succeededFuture(0);
        });
  }

  /** True if this instance closed the chat; false if it was not an orphan (any more). */
  private Future<Boolean> adopt(String chatId, String owner) {
    return store
        .load(chatId)
        .compose(
            stored -> {
              if (stored.isClosed() || !stored.ownership().owner().equals(owner)) {
                return Future.succeededFuture(false); // resumed, closed, or a stale index row
              }
              return engine
                  .findInBackground(chatId)
                  .compose(
                      s ->
                          s.isLive()
                              ? s.close(ReasonCode.OWNER_LOST).map(true)
                              : Future.succeededFuture(false));
            })
        .onSuccess(
            closed -> {
              if (closed) {
                kpi.sessionOrphanClosed();
                LOG.info("[{}|{}] closed OWNER_LOST: its owner {} died", self, chatId, owner);
              }
            })
        .recover(
            e -> {
              if (StoreException.is(e, StoreErrorKind.NOT_FOUND)
                  || (e instanceof ChatException ce
                      && (ce.code() == ErrorCode.NOT_OWNER
                          || ce.code() == ErrorCode.CHAT_NOT_FOUND))) {
                return Future.succeededFuture(false); // gone, or another instance took it
              }
              failed("adopt", e);
              return Future.failedFuture(e);
            });
  }

  private void failed(String what, Throwable e) {
    kpi.orphanSweepFailure();
    String kind =
        what
            + ":"
            + (e instanceof ChatException ce
                ? ce.code().name()
                : e instanceof StoreException se ? se.kind().name() : e.getClass().getName());
    if (warned.add(kind)) {
      LOG.warn(
          "[{}] orphan sweep: {} failed ({}); counted in orphan_sweep_failures, retried next"
              + " sweep, further failures of this kind logged at DEBUG",
          self,
          what,
          e.toString());
    } else {
      LOG.debug("[{}] orphan sweep: {} failed: {}", self, what, e.toString());
    }
  }
}
