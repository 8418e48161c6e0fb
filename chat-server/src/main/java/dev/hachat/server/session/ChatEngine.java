package dev.hachat.server.session;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one instance: creates them within {@code limit-for-sessions}, finds them by id
 * (restoring them in a cluster), tells the agent side which ones wait, hands them over, and closes
 * idle ones. A facade over its parts, each built once here (docs/engine.md, "Parts of the engine"):
 * the {@link SessionTable}, the {@link Admission} of new chats, the {@link HaPart}, the {@link
 * EngineContext} of the sessions and the {@link SessionEnd} of closed ones.
 *
 * <p>Threading: thread-safe; each session lives on one of the engine's event loops, chosen by its
 * id.
 */
public final class ChatEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ChatEngine.class);

  private final Vertx vertx;
  private final String instanceId;
  private final SessionOptions sessionOptions;
  private final Kpi kpi;
  private final Clock clock;
  private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
  private final WaitingChats waiting;
  private final List<SessionLoop> loops = new ArrayList<>();
  private final SessionTable table = new SessionTable();
  private final SessionEnd sessionEnd;
  private final HaPart ha;
  private final EngineContext context;
  private final Admission admission;
  private long inactivityTimer = -1;

  private ChatEngine(EngineSetup setup, Ha ha, AfterClose afterClose) {
    this.vertx = setup.vertx();
    this.instanceId = setup.instanceId();
    this.sessionOptions = setup.sessionOptions();
    this.kpi = setup.kpi();
    this.clock = setup.clock();
    this.waiting = new WaitingChats(vertx, sessionOptions.getWaitingUpdateInterval(), listeners);
    this.sessionEnd = new SessionEnd(setup, table, afterClose);
    this.ha = HaPart.of(ha, setup, this::loopFor, this::install, this::state);
    this.context = new EngineContext(setup, waiting, table, sessionEnd, this.ha);
    this.admission = new Admission(setup, table, this.ha);
    kpi.activeSessions(table::openCount);
  }

  /**
   * An engine with everything it needs.
   *
   * @param ha stand-alone or a member of a cluster ({@link Ha})
   * @param afterClose what follows a chat's end: its final transcript, its records' deletion
   *     ({@link AfterClose#deleteRecords} without a contact history)
   */
  public static ChatEngine create(
      Vertx vertx,
      String instanceId,
      TranscriptStore store,
      SessionOptions sessionOptions,
      TranscriptOptions transcriptOptions,
      Kpi kpi,
      Clock clock,
      Ha ha,
      AfterClose afterClose) {
    return new ChatEngine(
        new EngineSetup(vertx, instanceId, store, sessionOptions, transcriptOptions, kpi, clock),
        ha,
        afterClose);
  }

  /**
   * Starts the session loops (one per event-loop thread) and, if enabled, the inactivity and
   * no-customer-message checks every second.
   */
  public Future<Void> start(int loopCount) {
    return SessionLoop.deploy(vertx, loopCount)
        .map(
            started -> {
              loops.addAll(started);
              if (sessionOptions.getInactivityControl().isEnabled()
                  || sessionOptions.getNoCustomerMessageTimeout() > 0) {
                boolean inactivity = sessionOptions.getInactivityControl().isEnabled();
                inactivityTimer = vertx.setPeriodic(1000, t -> checkTimeouts(inactivity));
              }
              LOG.info("[{}] session engine started on {} loops", instanceId, loops.size());
              TestFault.warnIfOn(instanceId);
              return null;
            });
  }

  /**
   * Hands one chat to the other instances ({@link HandOver}): saved, its ownership released,
   * dropped here. Stand-alone every chat stays ({@code FAILED}).
   */
  public Future<HandOverOutcome> handOver(String chatId) {
    Session s = table.get(chatId);
    if (s == null || !s.isLive()) {
      return Future.succeededFuture(HandOverOutcome.NOT_LIVE);
    }
    return ha.handOver(s);
  }

  /** The instance a chat leaving this one goes to ({@link Survivors}), if any. */
  public Optional<InstanceRecord> survivorFor(String chatId) {
    return ha.survivorFor(chatId);
  }

  /** Ids of the open chats held here now. */
  public List<String> liveSessionIds() {
    return table.liveIds();
  }

  /** Creation time (epoch millis) of the oldest open chat held here, or -1 if none. */
  public long oldestLiveSessionCreatedAt() {
    return table.oldestLiveCreatedAt();
  }

  /**
   * Shows {@link EngineState#DRAINING} or {@link EngineState#EVACUATING} as the state ({@code null}
   * ends it); the operator procedures ({@code ops}) set it around their work, after {@link
   * #disable}.
   */
  public void setPhase(EngineState phase) {
    admission.setPhase(phase);
  }

  /** The lease was lost: no held session may acknowledge again; drop or keep them fenced. */
  public void onLeaseLost() {
    if (TestFault.SKIP_EPOCH_FENCE.on()) {
      return;
    }
    for (Session s : table.all()) {
      s.fence(Relocation.Fence.TAKEN_OVER);
    }
  }

  /** Puts a session claimed (or found closed) in the store into the table. */
  private Session install(SessionRestorer.StoredSessionClaim claim) {
    Session s =
        Session.restored(
            claim.stored(),
            claim.loop(),
            context,
            claim.ownership().epoch(),
            claim.canAcknowledge());
    boolean closed = claim.stored().isClosed();
    table.install(s, !closed);
    if (closed) {
      // A closed chat found in the store: finish its final transcript if nobody did.
      sessionEnd.foundClosed(s);
    } else {
      context.waiting(s);
      long epoch = claim.ownership().epoch();
      listeners.forEach(l -> l.onLocated(s.id(), epoch));
    }
    return s;
  }

  public String instanceId() {
    return instanceId;
  }

  public Kpi kpi() {
    return kpi;
  }

  /** Tells the listeners that an agent in {@code chatId} invited {@code agentId} into it. */
  public void invited(String chatId, String agentId, String mode, String from) {
    listeners.forEach(l -> l.onInvited(chatId, agentId, mode, from));
  }

  public void addListener(EngineListener listener) {
    listeners.add(listener);
  }

  public void removeListener(EngineListener listener) {
    listeners.remove(listener);
  }

  /** Whether this instance holds the chat in memory (open, or closed and still served). */
  public boolean holds(String chatId) {
    return table.holds(chatId);
  }

  /** Open sessions held by this instance. */
  public int activeSessions() {
    return table.openCount();
  }

  /** Whether new sessions are taken (false while disabled and once stopping). */
  public boolean isAccepting() {
    return admission.isAccepting();
  }

  /** Whether the instance is stopping ({@link #stop}). */
  public boolean isStopping() {
    return admission.isStopping();
  }

  /** Normal, disabled, draining, evacuating or stopping (stopping wins). */
  public EngineState state() {
    return admission.state();
  }

  /**
   * Takes no new chats from now on ({@link ErrorCode#INSTANCE_UNAVAILABLE}); the chats held keep
   * being served, and chats asked for are still restored here. Idempotent.
   */
  public void disable() {
    admission.disable();
  }

  /** Takes new chats again after {@link #disable}. Idempotent. */
  public void enable() {
    admission.enable();
  }

  /** Sessions waiting for an agent, oldest first. */
  public List<SessionSummary> waiting() {
    return waiting.list();
  }

  /**
   * A customer requests a chat: a new session, with the customer joined as its first participant.
   */
  public Future<Joined> requestChat(String nickname, String subject, Map<String, String> userData) {
    return admission
        .admit(nickname, subject, userData)
        .compose(
            chat -> {
              String id = chat.record().id();
              Session session =
                  new Session(chat.record(), loopFor(id), context, chat.epoch(), 0, chat.guard());
              table.add(session);
              kpi.sessionCreated();
              LOG.debug("{} created", session);
              return session
                  .join(ParticipantType.CLIENT, chat.nickname())
                  .andThen(
                      ar -> {
                        if (ar.succeeded()) {
                          context.waiting(session);
                        } else {
                          session.close(ReasonCode.STORE_ERROR);
                        }
                      });
            });
  }

  /**
   * The session with this id: the copy held here, else (in a cluster) the one restored from the
   * store, else a {@link ErrorCode#CHAT_NOT_FOUND} failure.
   */
  public Future<Session> find(String chatId) {
    return find(chatId, true);
  }

  /**
   * Like {@link #find}, for a chat nobody waits for yet (the proactive restore, the orphan sweep):
   * its restore goes after the ones clients wait for.
   */
  public Future<Session> findInBackground(String chatId) {
    return find(chatId, false);
  }

  private Future<Session> find(String chatId, boolean client) {
    Session s = table.servable(chatId);
    if (s != null) {
      return Future.succeededFuture(s);
    }
    if (chatId == null || chatId.isEmpty()) {
      return HaPart.notFound();
    }
    return client ? ha.restore(chatId) : ha.restoreInBackground(chatId);
  }

  /** Runs the inactivity check now (the periodic timer calls this every second). */
  public void checkInactivity() {
    checkTimeouts(true);
  }

  /** The first-customer-message check, and the inactivity check if {@code inactivity}. */
  private void checkTimeouts(boolean inactivity) {
    long now = clock.millis();
    for (Session s : table.all()) {
      s.loop().run(() -> s.checkInactivityOnLoop(now, inactivity));
    }
  }

  /** Stops taking new sessions and cancels timers. Sessions stay until the process ends. */
  public Future<Void> stop() {
    admission.stop();
    if (inactivityTimer >= 0) {
      vertx.cancelTimer(inactivityTimer);
    }
    return Future.succeededFuture();
  }

  private SessionLoop loopFor(String id) {
    return SessionLoop.pick(loops, id);
  }
}
