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
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores the open chats of an instance at once when it is judged dead (R3), instead of one at a
 * time as each chat's customer or agent comes back: every live instance restores the chats it is
 * the heir of ({@link HeirChats}, the rendezvous choice the web API servers route by), at most
 * {@code ha.proactive-restore-concurrency} at a time, so their clients find them already restored
 * where they are sent.
 *
 * <p>A client's own request does not queue behind this: it restores its chat on the spot ({@link
 * ChatEngine#find}, sharing a restore already running for that chat), and the bound leaves the
 * store room for those. Each restore is the normal one (load, epoch claim by compare-and-set, every
 * guard of docs/consistency.md); a chat another instance took meanwhile, or that is gone, is
 * skipped. A dead owner is done once all its chats were restored or skipped; after a failure (store
 * unreachable, quarantine) it is tried again at the next check. An owner that comes back and dies
 * again is restored again.
 *
 * <p>A chat restored this way that no participant asks anything of within {@code
 * ha.orphan-close-after} is closed {@link ReasonCode#OWNER_LOST} here, as the {@link OrphanSweep}
 * closes the chats nobody restored, so its final transcript reaches the contact history
 * (docs/ucs.md, "Orphaned chats"); a participant's request before that keeps it open.
 *
 * <p>Threading: checks run on the restore's own context, every {@code ha.heartbeat-interval}, and
 * never overlap; {@link #done} and {@link #unattended} are touched only there.
 */
public final class ProactiveRestore {
  private static final Logger LOG = LoggerFactory.getLogger(ProactiveRestore.class);

  private final Context context;
  private final ChatEngine engine;
  private final Membership membership;
  private final HeirChats heirChats;
  private final HaOptions options;
  private final Kpi kpi;
  private final String self;

  /** Dead owners whose chats were all restored (or skipped) since they were seen dead. */
  private final Set<String> done = new HashSet<>();

  /**
   * Chats restored here by this class that may still be unattended, by when they were restored
   * (membership nanos), oldest first.
   */
  private final Map<String, Long> unattended = new LinkedHashMap<>();

  private final PeriodicPass passes;

  private ProactiveRestore(
      Vertx vertx, ChatEngine engine, TranscriptStore store, Membership membership, HaOptions o) {
    this.passes = new PeriodicPass(vertx, this::pass);
    this.context = passes.context();
    this.engine = engine;
    this.membership = membership;
    this.options = o;
    this.kpi = engine.kpi();
    this.self = engine.instanceId();
    this.heirChats =
        new HeirChats(passes.context(), engine, store, new Survivors(membership, self));
  }

  /** The proactive restore of {@code engine}'s instance; nothing runs before {@link #start}. */
  public static ProactiveRestore create(
      Vertx vertx,
      ChatEngine engine,
      TranscriptStore store,
      Membership membership,
      HaOptions options) {
    return new ProactiveRestore(vertx, engine, store, membership, options);
  }

  /** Checks for newly dead instances every {@code ha.heartbeat-interval}. */
  public void start() {
    passes.start(options.getHeartbeatInterval());
  }

  public void stop() {
    passes.stop();
  }

  /**
   * One check (public for tests): restores the chats of every dead instance not done yet; completes
   * with the number restored. A check asked for while one runs returns that one.
   */
  public Future<Integer> check() {
    return passes.run();
  }

  private Future<Integer> pass() {
    Future<Integer> closed = closeUnattended();
    List<String> dead = membership.dead();
    done.retainAll(dead); // one that came back is restored again when it dies again
    if (membership.inQuarantine() || !membership.leaseValid() || engine.isStopping()) {
      return closed.map(0);
    }
    Future<Integer> chain = closed.map(0);
    for (String owner : dead) {
      if (!done.contains(owner)) {
        chain = chain.compose(n -> restoreAll(owner).map(m -> n + m));
      }
    }
    return chain;
  }

  /** Restores {@code owner}'s chats this instance is the heir of; marks it done if none failed. */
  private Future<Integer> restoreAll(String owner) {
    long started = System.nanoTime();
    AtomicInteger failed = new AtomicInteger();
    return heirChats
        .forEach(owner, options.getProactiveRestoreConcurrency(), id -> restore(id, failed))
        .transform(
            ar -> {
              if (ar.failed()) {
                LOG.warn(
                    "[{}] proactive restore of {}'s chats: cannot read them ({}); tried again at"
                        + " the next check",
                    self,
                    owner,
                    ar.cause().toString());
                return Future.succeededFuture(0);
              }
              int restored = ar.result();
              if (failed.get() == 0) {
                done.add(owner);
              }
              if (restored > 0 || failed.get() > 0) {
                LOG.info(
                    "[{}] restored {} chats of dead instance {} in {} ms{}",
                    self,
                    restored,
                    owner,
                    (System.nanoTime() - started) / 1_000_000,
                    failed.get() > 0 ? "; " + failed.get() + " failed, tried again" : "");
              }
              return Future.succeededFuture(restored);
            });
  }

  /** Closes {@code OWNER_LOST} the restored chats due that nobody came back for. */
  private Future<Integer> closeUnattended() {
    long now = membership.nanoTime();
    long after = TimeUnit.MILLISECONDS.toNanos(options.getOrphanCloseAfter());
    List<String> due = new ArrayList<>();
    for (Iterator<Map.Entry<String, Long>> it = unattended.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Long> e = it.next();
      if (now - e.getValue() < after) {
        break; // oldest first: the rest are younger
      }
      it.remove();
      if (engine.holds(e.getKey())) {
        due.add(e.getKey());
      }
    }
    if (due.isEmpty()) {
      return Future.succeededFuture(0);
    }
    return heirChats.inWindow(
        due, options.getOrphanSweepConcurrency(), id -> closeOrphan(id, now - after));
  }

  /** Closes one; if that fails, it is due again ({@code dueAt}) for a later check. */
  private Future<Boolean> closeOrphan(String chatId, long dueAt) {
    return engine
        .findInBackground(chatId)
        .compose(s -> s.closeIfUnattended(ReasonCode.OWNER_LOST))
        .onSuccess(
            closed -> {
              if (closed) {
                kpi.sessionOrphanClosed();
                LOG.info(
                    "[{}|{}] closed OWNER_LOST: restored here after its owner died, nobody came"
                        + " back",
                    self,
                    chatId);
              }
            })
        .onFailure(
            e -> {
              kpi.orphanSweepFailure();
              LOG.debug("[{}|{}] orphan close failed: {}", self, chatId, e.toString());
              context.runOnContext(v -> unattended.putIfAbsent(chatId, dueAt));
            });
  }

  /** True if this instance restored the chat; false if it was skipped or failed. */
  private Future<Boolean> restore(String chatId, AtomicInteger failed) {
    return engine
        .findInBackground(chatId)
        .map(
            s -> {
              if (s.isLive()) {
                kpi.sessionRestoredProactively();
                long at = membership.nanoTime();
                context.runOnContext(v -> unattended.putIfAbsent(chatId, at));
                return true;
              }
              return false; // closed meanwhile: read-only, nothing to restore
            })
        .recover(
            e -> {
              if (StoreException.is(e, StoreErrorKind.NOT_FOUND)
                  || (e instanceof ChatException ce
                      && (ce.code() == ErrorCode.NOT_OWNER
                          || ce.code() == ErrorCode.CHAT_NOT_FOUND))) {
                return Future.succeededFuture(false); // gone, or another instance has it
              }
              failed.incrementAndGet();
              LOG.debug("[{}|{}] proactive restore failed: {}", self, chatId, e.toString());
              return Future.succeededFuture(false);
            });
  }
}
