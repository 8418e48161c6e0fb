package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.HaOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
 * pages through that owner's open chats ({@link TranscriptStore#openSessionsOf}) and adopts each
 * one whose heir it is ({@link Survivors#heirOf}, the choice the restore path and the web API
 * servers make, so one instance acts): a normal restore ({@link ChatEngine#find}: epoch e+1, every
 * guard of docs/consistency.md unchanged), then a close with {@link Session#OWNER_LOST}, whose
 * final transcript the normal close path writes. A chat a client resumed meanwhile has another
 * owner and is skipped (stale index rows too). At most {@code ha.orphan-sweep-concurrency}
 * adoptions run at once. Failures are counted ({@code orphan_sweep_failures}) and logged at WARN
 * once per kind, then at DEBUG.
 *
 * <p>Threading: a pass runs on the sweep's own context and passes never overlap; the dead-since map
 * is touched only at the start of a pass, on that context. The set of failure kinds already warned
 * about is concurrent (adoptions complete on session loops).
 */
public final class OrphanSweep {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);
  private static final int PAGE = 100;

  private final Vertx vertx;
  private final Context context;
  private final ChatEngine engine;
  private final TranscriptStore store;
  private final Membership membership;
  private final Survivors survivors;
  private final HaOptions options;
  private final Kpi kpi;
  private final String self;

  /** Dead instances by when (membership nanos) this one first saw them dead; on the context. */
  private final Map<String, Long> deadSince = new HashMap<>();

  private final Set<String> warned = ConcurrentHashMap.newKeySet();
  private Future<Integer> running;
  private long timer = -1;

  private OrphanSweep(
      Vertx vertx, ChatEngine engine, TranscriptStore store, Membership membership, HaOptions o) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.engine = engine;
    this.store = store;
    this.membership = membership;
    this.options = o;
    this.kpi = engine.kpi();
    this.self = engine.instanceId();
    this.survivors = new Survivors(membership, self);
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
    context.runOnContext(
        v -> timer = vertx.setPeriodic(options.getOrphanSweepInterval(), t -> sweep()));
  }

  public void stop() {
    context.runOnContext(
        v -> {
          if (timer >= 0) {
            vertx.cancelTimer(timer);
          }
        });
  }

  /**
   * One pass (public for tests): completes with the number of chats closed {@code OWNER_LOST}; a
   * pass asked for while one runs returns that one.
   */
  public Future<Integer> sweep() {
    Promise<Integer> p = Promise.promise();
    context.runOnContext(
        v -> {
          if (running == null) {
            running = pass().onComplete(ar -> context.runOnContext(x -> running = null));
          }
          running.onComplete(p);
        });
    return p.future();
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
      chain = chain.compose(n -> page(owner, "", n));
    }
    return chain.recover(
        e -> {
          failed("read", e);
          return Future.succeededFuture(0);
        });
  }

  /** Adopts the chats of one page of {@code owner}'s open chats, then the next page. */
  private Future<Integer> page(String owner, String after, int closed) {
    return store
        .openSessionsOf(owner, after, PAGE)
        .compose(
            ids -> {
              List<String> mine = new ArrayList<>();
              for (String id : ids) {
                Optional<InstanceRecord> heir = survivors.heirOf(id, owner);
                boolean isHeir = heir.isEmpty() || heir.get().instanceId().equals(self);
                if (isHeir && !engine.holds(id)) {
                  mine.add(id);
                }
              }
              return inBatches(mine, owner, 0, closed)
                  .compose(
                      n ->
                          ids.size() < PAGE
                              ? Future.succeededFuture(n)
                              : page(owner, ids.get(ids.size() - 1), n));
            });
  }

  private Future<Integer> inBatches(List<String> ids, String owner, int from, int closed) {
    if (from >= ids.size()) {
      return Future.succeededFuture(closed);
    }
    int to = Math.min(ids.size(), from + options.getOrphanSweepConcurrency());
    List<Future<Boolean>> batch = new ArrayList<>();
    for (String id : ids.subList(from, to)) {
      batch.add(adopt(id, owner));
    }
    return Future.join(batch)
        .transform(
            ar -> {
              int n = closed;
              for (Future<Boolean> f : batch) {
                n += f.succeeded() && f.result() ? 1 : 0;
              }
              return inBatches(ids, owner, to, n);
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
                  .find(chatId)
                  .compose(
                      s ->
                          s.isLive()
                              ? s.close(Session.OWNER_LOST).map(true)
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
