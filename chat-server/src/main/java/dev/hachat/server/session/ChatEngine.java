package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.HaOptions;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions of one instance: creates them within {@code limit-for-sessions}, finds them by id,
 * tells the agent side which ones wait, and closes idle ones. Thread-safe; each session lives on
 * one of the engine's event loops, chosen by its id.
 */
public final class ChatEngine {
  private static final Logger LOG = LoggerFactory.getLogger(ChatEngine.class);

  private final Vertx vertx;
  private final String instanceId;
  private final TranscriptStore store;
  private final SessionOptions sessionOptions;
  private final TranscriptOptions transcriptOptions;
  private final Kpi kpi;
  private final Clock clock;
  private final Context context = new Context();

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final SessionEnd sessionEnd;
  private final InputLimits limits;
  private final AtomicInteger open = new AtomicInteger();
  private final List<EngineListener> listeners = new CopyOnWriteArrayList<>();
  private final WaitingChats waiting = new WaitingChats(listeners);
  private final List<SessionLoop> loops = new ArrayList<>();
  private volatile boolean running = true;
  private volatile boolean disabled;
  private volatile EngineState phase;
  private volatile Survivors survivors;
  private volatile HandOver handOver;
  private long handOverTimeout = dev.hachat.server.config.OpsOptions.DEFAULT_HAND_OVER_TIMEOUT;
  private long inactivityTimer = -1;
  private volatile Membership membership;
  private volatile HaOptions ha;
  private volatile SessionRestorer restorer;

  private ChatEngine(
      Vertx vertx,
      String instanceId,
      TranscriptStore store,
      SessionOptions sessionOptions,
      TranscriptOptions transcriptOptions,
      Kpi kpi,
      Clock clock) {
    this.vertx = vertx;
    this.instanceId = instanceId;
    this.store = store;
    this.sessionOptions = sessionOptions;
    this.transcriptOptions = transcriptOptions;
    this.kpi = kpi;
    this.clock = clock;
    this.sessionEnd = new SessionEnd(vertx, store, sessionOptions, transcriptOptions, sessions);
    this.limits = new InputLimits(sessionOptions);
    kpi.activeSessions(open::get);
  }

  /** Sets what happens after a chat closed (default: its records are deleted when retired). */
  public void setAfterClose(AfterClose afterClose) {
    sessionEnd.setAfterClose(afterClose);
  }

  public static ChatEngine create(
      Vertx vertx,
      String instanceId,
      TranscriptStore store,
      SessionOptions sessionOptions,
      TranscriptOptions transcriptOptions,
      Kpi kpi,
      Clock clock) {
    return new ChatEngine(vertx, instanceId, store, sessionOptions, transcriptOptions, kpi, clock);
  }

  /**
   * Starts the session loops (one per event-loop thread) and, if enabled, the inactivity check
   * every second.
   */
  public Future<Void> start(int loopCount) {
    return SessionLoop.deploy(vertx, loopCount)
        .map(
            started -> {
              loops.addAll(started);
              if (sessionOptions.getInactivityControl().isEnabled()) {
                inactivityTimer = vertx.setPeriodic(1000, t -> checkInactivity());
              }
              LOG.info("[{}] session engine started on {} loops", instanceId, loops.size());
              return null;
            });
  }

  /**
   * Joins the engine to a cluster: acknowledgements then need the instance's lease, and with {@code
   * session-restoration-mode: simple} a request for a session this instance does not hold restores
   * it from the store. Call before {@link #start}.
   */
  public void enableHa(Membership membership, HaOptions ha) {
    this.membership = membership;
    this.ha = ha;
    this.survivors = new Survivors(membership, instanceId);
    this.handOver =
        new HandOver(vertx, instanceId, store, kpi, handOverTimeout, this::droppedAfterHandOver);
    if (ha.getSessionRestorationMode() == HaOptions.RestorationMode.SIMPLE) {
      this.restorer =
          new SessionRestorer(
              instanceId,
              store,
              membership,
              this::loopFor,
              this::install,
              this::ownershipGuard,
              this::quarantined,
              kpi,
              new SessionRestorer.Policy() {
                @Override
                public boolean mayClaim() {
                  EngineState st = state();
                  return st != EngineState.EVACUATING && st != EngineState.STOPPING;
                }

                @Override
                public java.util.Optional<dev.hachat.store.InstanceRecord> survivorFor(
                    String chatId) {
                  return ChatEngine.this.survivorFor(chatId);
                }

                @Override
                public java.util.Optional<dev.hachat.store.InstanceRecord> heirOf(
                    String chatId, String deadOwner) {
                  Survivors s = survivors;
                  return s == null ? java.util.Optional.empty() : s.heirOf(chatId, deadOwner);
                }
              });
    }
  }

  /** Milliseconds one hand-over may take ({@code ops.hand-over-timeout}); call before enableHa. */
  public void setHandOverTimeout(long millis) {
    this.handOverTimeout = millis;
  }

  /**
   * Hands one chat to the other instances ({@link HandOver}): saved, its ownership released,
   * dropped here. Needs HA ({@link #enableHa}); without it every chat stays ({@code FAILED}).
   */
  public Future<HandOverOutcome> handOver(String chatId) {
    Session s = sessions.get(chatId);
    HandOver h = handOver;
    if (s == null || !s.isLive()) {
      return Future.succeededFuture(HandOverOutcome.NOT_LIVE);
    }
    if (h == null) {
      return Future.succeededFuture(HandOverOutcome.FAILED);
    }
    return h.handOver(s);
  }

  private void droppedAfterHandOver(Session s) {
    if (sessions.remove(s.id(), s)) {
      open.decrementAndGet();
    }
  }

  /** The instance a chat leaving this one goes to ({@link Survivors}), if any. */
  public java.util.Optional<dev.hachat.store.InstanceRecord> survivorFor(String chatId) {
    Survivors s = survivors;
    return s == null ? java.util.Optional.empty() : s.forChat(chatId);
  }

  /** Ids of the open chats held here now. */
  public List<String> liveSessionIds() {
    List<String> ids = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (s.isLive()) {
        ids.add(s.id());
      }
    }
    return ids;
  }

  /** Creation time (epoch millis) of the oldest open chat held here, or -1 if none. */
  public long oldestLiveSessionCreatedAt() {
    long oldest = -1;
    for (Session s : sessions.values()) {
      long t = s.record().createdAt();
      if (s.isLive() && (oldest < 0 || t < oldest)) {
        oldest = t;
      }
    }
    return oldest;
  }

  /**
   * Shows {@link EngineState#DRAINING} or {@link EngineState#EVACUATING} as the state ({@code null}
   * ends it); the operator procedures ({@code ops}) set it around their work, after {@link
   * #disable}.
   */
  public void setPhase(EngineState phase) {
    this.phase = phase;
  }

  /** The lease was lost: no held session may acknowledge again; drop or keep them fenced. */
  public void onLeaseLost() {
    for (Session s : sessions.values()) {
      s.fence();
    }
  }

  private Session install(SessionRestorer.StoredSessionClaim claim) {
    Session s =
        Session.restored(
            claim.stored(),
            claim.loop(),
            context,
            claim.ownership().epoch(),
            claim.canAcknowledge());
    Session old = sessions.put(s.id(), s);
    if (old != null) {
      old.fence();
    }
    if (claim.stored().isClosed()) {
      // A closed chat found in the store: finish its final transcript if nobody did.
      sessionEnd.foundClosed(s);
    } else {
      open.incrementAndGet();
      context.waiting(s);
    }
    return s;
  }

  public String instanceId() {
    return instanceId;
  }

  public Kpi kpi() {
    return kpi;
  }

  public void addListener(EngineListener listener) {
    listeners.add(listener);
  }

  public void removeListener(EngineListener listener) {
    listeners.remove(listener);
  }

  /** Whether this instance holds the chat in memory (open, or closed and still served). */
  public boolean holds(String chatId) {
    return sessions.containsKey(chatId);
  }

  /** Open sessions held by this instance. */
  public int activeSessions() {
    return open.get();
  }

  /** Whether new sessions are taken (false while disabled and once stopping). */
  public boolean isAccepting() {
    return running && !disabled;
  }

  /** Whether the instance is stopping ({@link #stop}). */
  public boolean isStopping() {
    return !running;
  }

  /** Normal, disabled, draining, evacuating or stopping (stopping wins). */
  public EngineState state() {
    if (!running) {
      return EngineState.STOPPING;
    }
    EngineState p = phase;
    if (p != null) {
      return p;
    }
    return disabled ? EngineState.DISABLED : EngineState.NORMAL;
  }

  /**
   * Takes no new chats from now on ({@link ErrorCode#INSTANCE_UNAVAILABLE}); the chats held keep
   * being served, and chats asked for are still restored here. Idempotent.
   */
  public void disable() {
    if (!disabled) {
      disabled = true;
      LOG.info("[{}] disabled: no new chats; {} open chats go on", instanceId, open.get());
    }
  }

  /** Takes new chats again after {@link #disable}. Idempotent. */
  public void enable() {
    if (disabled) {
      disabled = false;
      LOG.info("[{}] enabled: takes new chats again", instanceId);
    }
  }

  /** Sessions waiting for an agent, oldest first. */
  public List<SessionSummary> waiting() {
    return waiting.list();
  }

  /**
   * A customer requests a chat: a new session, with the customer joined as its first participant.
   */
  public Future<Joined> requestChat(String nickname, String subject, Map<String, String> userData) {
    if (!isAccepting()) {
      kpi.sessionRejected();
      return Future.failedFuture(
          new ChatException(
              ErrorCode.INSTANCE_UNAVAILABLE,
              "this instance is " + state().wireName() + " and takes no new chats"));
    }
    // The guard is taken before the create is sent (R7): none while in quarantine.
    java.util.function.BooleanSupplier guard = ownershipGuard();
    if (guard == null) {
      kpi.sessionRejected();
      return Future.failedFuture(quarantined());
    }
    if (open.incrementAndGet() > sessionOptions.getLimitForSessions()) {
      open.decrementAndGet();
      kpi.sessionRejected();
      return Future.failedFuture(
          new ChatException(
              ErrorCode.SESSION_LIMIT_REACHED,
              "this instance holds its limit of "
                  + sessionOptions.getLimitForSessions()
                  + " chats"));
    }
    String nick;
    try {
      nick = context.checkNickname(nickname);
      limits.checkSubject(subject);
      if (userData != null) {
        limits.checkUserData(Map.of(), userData);
      }
    } catch (ChatException e) {
      open.decrementAndGet();
      return Future.failedFuture(e);
    }
    SessionRecord record = new SessionRecord(Secrets.newId(), clock.millis(), subject, userData);
    Future<Long> created =
        transcriptOptions.getTranscriptAutoSave() > 0
            ? store
                .create(record, instanceId)
                .timeout(
                    transcriptOptions.getTranscriptSaveTimeout(),
                    java.util.concurrent.TimeUnit.MILLISECONDS)
                .map(o -> o.epoch())
            : Future.succeededFuture(1L);
    return created
        .recover(
            e -> {
              open.decrementAndGet();
              kpi.saveFailure();
              return Future.failedFuture(
                  new ChatException(
                      ErrorCode.STORE_UNAVAILABLE, "the chat could not be saved; try again"));
            })
        .compose(
            epoch -> {
              Session session = new Session(record, loopFor(record.id()), context, epoch, 0, guard);
              sessions.put(record.id(), session);
              kpi.sessionCreated();
              LOG.debug("{} created", session);
              return session
                  .join(ParticipantType.CLIENT, nick)
                  .andThen(
                      ar -> {
                        if (ar.succeeded()) {
                          context.waiting(session);
                        } else {
                          session.close(Session.STORE_ERROR);
                        }
                      });
            });
  }

  /**
   * The acknowledge guard for a session created or claimed now, or {@code null} while this instance
   * is in quarantine (or holds no lease); always true without a cluster.
   */
  java.util.function.BooleanSupplier ownershipGuard() {
    Membership m = membership;
    return m == null ? () -> true : m.ownershipGuard();
  }

  /** The answer while this instance may take no new ownership (R7): retryable. */
  ChatException quarantined() {
    Membership m = membership;
    long left = m == null ? 0 : m.quarantineLeftMillis();
    return new ChatException(
        ErrorCode.INSTANCE_UNAVAILABLE,
        left > 0
            ? "this instance has just (re)gained its lease and takes no chats for "
                + left
                + " ms; retry"
            : "this instance holds no lease now (its heartbeats fail); retry");
  }

  /** The session with this id, or a {@link ErrorCode#CHAT_NOT_FOUND} failure. */
  public Future<Session> find(String chatId) {
    Session s = chatId == null ? null : sessions.get(chatId);
    if (s != null && !s.isFenced()) {
      return Future.succeededFuture(s);
    }
    SessionRestorer r = restorer;
    if (chatId == null || chatId.isEmpty() || r == null) {
      return Future.failedFuture(
          new ChatException(ErrorCode.CHAT_NOT_FOUND, "no chat with this id"));
    }
    return r.restore(chatId);
  }

  /** Runs the inactivity check now (the periodic timer calls this every second). */
  public void checkInactivity() {
    long now = clock.millis();
    for (Session s : sessions.values()) {
      s.loop().run(() -> s.checkInactivityOnLoop(now));
    }
  }

  /** Stops taking new sessions and cancels timers. Sessions stay until the process ends. */
  public Future<Void> stop() {
    running = false;
    if (inactivityTimer >= 0) {
      vertx.cancelTimer(inactivityTimer);
    }
    return Future.succeededFuture();
  }

  private SessionLoop loopFor(String id) {
    return SessionLoop.pick(loops, id);
  }

  /** The engine side of each session. */
  private final class Context implements SessionContext {
    @Override
    public String instanceId() {
      return instanceId;
    }

    @Override
    public Clock clock() {
      return clock;
    }

    @Override
    public SessionOptions sessionOptions() {
      return sessionOptions;
    }

    @Override
    public TranscriptOptions transcriptOptions() {
      return transcriptOptions;
    }

    @Override
    public Kpi kpi() {
      return kpi;
    }

    @Override
    public SavePipeline newWriter(
        String sessionId,
        SessionLoop loop,
        long epoch,
        long lastIndex,
        SavePipeline.Sink sink,
        String logPrefix,
        java.util.function.BooleanSupplier canAcknowledge) {
      return new SavePipeline(
          vertx,
          loop,
          store,
          transcriptOptions,
          kpi,
          sessionId,
          epoch,
          lastIndex,
          sink,
          logPrefix,
          canAcknowledge,
          // With restore on, nothing may be shown before it is saved: an entry seen by a client
          // and then lost in a crash would give its index to another entry after the restore.
          restorer != null);
    }

    @Override
    public String checkNickname(String nickname) {
      return limits.checkNickname(nickname);
    }

    @Override
    public void checkText(String text) {
      limits.checkText(text);
    }

    @Override
    public void checkUserData(Map<String, String> current, Map<String, String> change) {
      limits.checkUserData(current, change);
    }

    @Override
    public void waiting(Session session) {
      waiting.add(session);
    }

    @Override
    public void noLongerWaiting(Session session) {
      waiting.remove(session);
    }

    @Override
    public Future<Void> persistClose(Session session, long epoch, CloseInfo info) {
      return sessionEnd.persistClose(session, epoch, info);
    }

    @Override
    public void closed(Session session) {
      open.decrementAndGet();
      kpi.sessionClosed();
      LOG.debug("{} closed", session);
      // A closed session keeps answering (CHAT_ENDED, transcript reads) for a while; its
      // intermediate records go once it is no longer served.
      sessionEnd.retain(session, true);
    }

    @Override
    public void fenced(Session session) {
      LOG.info("{} fenced: this instance may no longer acknowledge for it", session);
      noLongerWaiting(session);
      boolean purge = ha == null || ha.isSessionRestoreDoPurge();
      if (purge) {
        if (sessions.remove(session.id(), session)) {
          open.decrementAndGet();
          kpi.sessionPurged();
        }
      } else if (sessions.get(session.id()) == session) {
        // Kept, fenced (requests get NOT_OWNER), until the retention time passes.
        open.decrementAndGet();
        sessionEnd.retain(session, false);
      }
    }
  }
}
