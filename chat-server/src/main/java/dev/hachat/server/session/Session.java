package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.UserData;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One live chat session.
 *
 * <p>Threading: every mutable field is confined to {@link #loop}. Public methods may be called from
 * any thread: they hop onto the loop and return a Future. Package-private methods whose name ends
 * in {@code OnLoop} must already run there.
 */
public final class Session {
  /** Why sessions close; stored in {@link CloseInfo#reason()}. */
  public static final String CUSTOMER_LEFT = "CUSTOMER_LEFT";

  public static final String AGENT_CLOSED = "AGENT_CLOSED";
  public static final String ALL_LEFT = "ALL_LEFT";
  public static final String INACTIVITY = "INACTIVITY";
  public static final String INTERACTION_STOPPED = "INTERACTION_STOPPED";
  public static final String STORE_ERROR = "STORE_ERROR";

  static final String SYSTEM_ID = "system";

  private final SessionRecord record;
  private final SessionLoop loop;
  private final SessionContext ctx;
  private final SavePipeline writer;
  private final String logPrefix;

  private final Roster participants = new Roster();
  private final CommittedEntries entries = new CommittedEntries();
  private final Subscribers listeners = new Subscribers();
  private final Inactivity inactivity;

  /** The creation user data overlaid with every update appended so far ({@link UserData}). */
  private final Map<String, String> userData;

  private CloseInfo closed;
  private final java.util.concurrent.atomic.AtomicBoolean fenced =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** Set (on the loop) once the chat closed; read from any thread ({@link #isLive()}). */
  private volatile boolean ended;

  /**
   * True while the session is being handed to another instance ({@link #beginHandOver}): requests
   * that would add an entry get a retryable answer, so nothing is saved after the final save.
   */
  private boolean movingOut;

  /**
   * @param canAcknowledge the acknowledge guard, taken before this ownership was created or claimed
   *     (docs/consistency.md, R2 and R7)
   */
  Session(
      SessionRecord record,
      SessionLoop loop,
      SessionContext ctx,
      long epoch,
      long lastIndex,
      java.util.function.BooleanSupplier canAcknowledge) {
    this.record = record;
    this.loop = loop;
    this.ctx = ctx;
    this.logPrefix = "[" + ctx.instanceId() + "|" + record.id() + "]";
    this.writer =
        ctx.newWriter(
            record.id(), loop, epoch, lastIndex, new WriterSink(), logPrefix, canAcknowledge);
    this.inactivity = new Inactivity(ctx.clock().millis());
    this.userData = new LinkedHashMap<>(record.userData());
  }

  /**
   * Rebuilds a session from the store on this instance, now its owner at {@code epoch}: the same
   * participants (keys are checked against the stored hashes), transcript and send ids, so clients
   * resume with the same credentials, positions and idempotency keys.
   */
  static Session restored(
      dev.hachat.store.StoredSession stored,
      SessionLoop loop,
      SessionContext ctx,
      long epoch,
      java.util.function.BooleanSupplier canAcknowledge) {
    Session s = new Session(stored.session(), loop, ctx, epoch, stored.lastIndex(), canAcknowledge);
    s.participants.putAll(stored.participants());
    s.entries.restore(stored.entries());
    stored.entries().forEach(e -> UserData.apply(s.userData, e));
    s.closed = stored.closed();
    s.ended = s.closed != null;
    return s;
  }

  /**
   * Writes the restore notice: parties connected to the old owner were cut off ({@code handedOver}:
   * the old owner handed the chat over on purpose, an evacuation).
   */
  Future<Entry> restoredNotice(boolean handedOver) {
    return loop.call(
        () -> {
          appendSystemNoticeOnLoop(
              handedOver
                  ? "The chat moved to another server; it continues here."
                  : "The chat moved to another server after an interruption; it continues here.");
          return Future.succeededFuture(entries.last());
        });
  }

  /** Open and served here: neither closed nor fenced nor handed over. Any thread. */
  boolean isLive() {
    return !ended && !fenced.get();
  }

  /**
   * First step of a hand-over: from now on requests that would add an entry are answered {@link
   * ErrorCode#INSTANCE_UNAVAILABLE} (retryable); completes with the ownership epoch once everything
   * appended before is saved and acknowledged, or with -1 if the chat closed or moved meanwhile
   * (nothing to hand over). Fails if the last saves do not complete within {@code timeoutMs}; the
   * caller then calls {@link #cancelHandOver()}.
   */
  Future<Long> beginHandOver(long timeoutMs) {
    return loop.call(
        () -> {
          if (!isLive()) {
            return Future.succeededFuture(-1L);
          }
          movingOut = true;
          return writer
              .whenIdle()
              .timeout(timeoutMs, TimeUnit.MILLISECONDS)
              .map(v -> isLive() ? writer.epoch() : -1L);
        });
  }

  /** The hand-over did not happen: the session goes on here as before. */
  void cancelHandOver() {
    loop.run(() -> movingOut = false);
  }

  /**
   * Last step of a hand-over, after the store released the ownership: this copy stops like a fenced
   * one (requests get {@link ErrorCode#NOT_OWNER}), and connected parties get a {@code MOVED}
   * notice and close, so they reconnect to the new owner.
   */
  void handedOver() {
    if (!fenced.compareAndSet(false, true)) {
      return;
    }
    loop.run(
        () -> {
          writer.stop(ErrorCode.NOT_OWNER, "the chat moved to another instance; retry");
          listeners.notice(this, "MOVED", "the chat moved to another server; reconnect");
          listeners.closeAll(this, new CloseInfo("MOVED", ctx.clock().millis()));
          ctx.noLongerWaiting(this);
        });
  }

  /** True once another instance owns this session; every request then gets NOT_OWNER. */
  boolean isFenced() {
    return fenced.get();
  }

  /** Stops this copy: nothing more is saved or acknowledged; subscribers are disconnected. */
  void fence() {
    if (!fenced.compareAndSet(false, true)) {
      return;
    }
    ctx.fenced(this);
    loop.run(
        () -> {
          writer.stop(ErrorCode.NOT_OWNER, "another instance owns this chat now; retry");
          listeners.notice(this, "MOVED", "the chat moved to another server; reconnect");
          listeners.closeAll(this, new CloseInfo("MOVED", ctx.clock().millis()));
          ctx.noLongerWaiting(this);
        });
  }

  public String id() {
    return record.id();
  }

  public SessionRecord record() {
    return record;
  }

  // ---- operations (any thread) -----------------------------------------------------------

  /**
   * Adds a participant. An agent is exclusive: a second agent gets {@link ErrorCode#ALREADY_TAKEN}.
   * Supervisors observe; customers and external parties join freely up to {@code max-participants}.
   */
  public Future<Joined> join(ParticipantType type, String nickname) {
    return loop.call(() -> joinOnLoop(type, nickname));
  }

  /** Sends a message; a retry with the same {@code clientMessageId} returns the first entry. */
  public Future<Entry> send(
      String participantId, String secureKey, String clientMessageId, String text) {
    return asActive(
        participantId, secureKey, p -> sendOnLoop(p, EntryType.MESSAGE, clientMessageId, text));
  }

  /** A custom notice from a participant (GMS {@code customNotice}); idempotent like a send. */
  public Future<Entry> customNotice(
      String participantId, String secureKey, String clientMessageId, String text) {
    return asActive(
        participantId,
        secureKey,
        p -> sendOnLoop(p, EntryType.CUSTOM_NOTICE, clientMessageId, text));
  }

  /** Typing started ({@code true}) or stopped. */
  public Future<Entry> typing(String participantId, String secureKey, boolean started) {
    EntryType type = started ? EntryType.TYPING_STARTED : EntryType.TYPING_STOPPED;
    return asActive(participantId, secureKey, p -> appendOnLoop(p, type, "", null));
  }

  /**
   * Changes the participant's nickname (checked like at join): a {@code NicknameUpdated} entry from
   * the participant under its new nickname, saved together with its participant record, so a
   * restored session shows the new nickname. Every call adds an entry, a repeated one too; the
   * change is absolute, so a retry after an unknown outcome is harmless.
   */
  public Future<Entry> updateNickname(String participantId, String secureKey, String nickname) {
    return asActive(participantId, secureKey, p -> updateNicknameOnLoop(p, nickname));
  }

  /**
   * Sets user data keys (GMS {@code updateData}): a {@code UserDataUpdated} entry whose text is the
   * JSON object of the keys set. The session's user data is the creation data overlaid with every
   * update in index order; keys are never removed. A retry sets the same values again (one more
   * entry) and is harmless.
   */
  public Future<Entry> updateData(
      String participantId, String secureKey, Map<String, String> change) {
    return asActive(participantId, secureKey, p -> updateDataOnLoop(p, change));
  }

  /**
   * The participant leaves. A customer leaving ends the chat; when nobody but observers is left the
   * chat ends too.
   */
  public Future<Void> leave(String participantId, String secureKey) {
    return asActive(participantId, secureKey, this::leaveOnLoop);
  }

  /** Ends the chat on behalf of a participant (an agent's "close"). */
  public Future<Void> end(String participantId, String secureKey, String reason) {
    return asActive(
        participantId, secureKey, p -> leaveOnLoop(p).compose(v -> closeOnLoop(reason)));
  }

  /** Ends the chat without a participant (interaction stopped, operator). */
  public Future<Void> close(String reason) {
    return loop.call(
        () -> {
          requireStaying();
          return closeOnLoop(reason);
        });
  }

  /** Committed entries after {@code after}; readable by any participant, even after the end. */
  public Future<Transcript> entriesAfter(String participantId, String secureKey, long after) {
    return loop.call(
        () -> {
          authenticate(participantId, secureKey);
          return Future.succeededFuture(sliceOnLoop(after));
        });
  }

  /**
   * Subscribes to entries after {@code after}: the missing ones are replayed, then new ones follow,
   * with no gap and no duplicate. The returned Future gives the handle to unsubscribe.
   */
  public Future<Runnable> subscribe(
      String participantId, String secureKey, long after, SessionListener listener) {
    return loop.call(
        () -> {
          authenticate(participantId, secureKey);
          for (Entry e : sliceOnLoop(after).entries()) {
            listener.onEntry(this, e);
          }
          if (closed != null) {
            listener.onClosed(this, closed);
            return Future.succeededFuture((Runnable) () -> {});
          }
          return Future.succeededFuture(listeners.add(listener));
        });
  }

  /** A snapshot for agents choosing a chat. */
  public Future<SessionSummary> summary() {
    return loop.call(() -> Future.succeededFuture(summaryOnLoop()));
  }

  // ---- on the loop ------------------------------------------------------------------------

  private Future<Joined> joinOnLoop(ParticipantType type, String nickname) {
    requireOpen();
    requireStaying();
    participants.checkRoom(type, ctx.sessionOptions().getMaxParticipants());
    String nick = ctx.checkNickname(nickname);
    String key = Secrets.newSecureKey();
    ParticipantRecord p = participants.add(type, nick, Secrets.hash(key), ctx.clock().millis());
    writer.saveParticipant(p);
    return appendOnLoop(p, EntryType.PARTICIPANT_JOINED, "", null)
        .map(
            e -> {
              if (type == ParticipantType.AGENT) {
                ctx.noLongerWaiting(this);
              }
              return new Joined(record.id(), p.id(), type, key, entries.all());
            });
  }

  private Future<Entry> sendOnLoop(
      ParticipantRecord p, EntryType type, String clientMessageId, String text) {
    if (clientMessageId == null || clientMessageId.isEmpty() || clientMessageId.length() > 128) {
      throw ChatException.badRequest("clientMessageId is required (1-128 characters)");
    }
    ctx.checkText(text);
    Long index = entries.sentIndex(p.id(), clientMessageId);
    if (index != null) {
      ctx.kpi().duplicateSend();
      Future<Entry> pending = writer.whenCommitted(index);
      if (pending != null) {
        return pending;
      }
      Entry committed = entries.get(index);
      if (committed != null) {
        return Future.succeededFuture(committed);
      }
      throw new ChatException(ErrorCode.NOT_OWNER, "this instance no longer owns the chat");
    }
    requireStoreAccepting();
    ctx.kpi().messageIn();
    inactivity.touch(ctx.clock().millis());
    Future<Entry> f = appendOnLoop(p, type, text, clientMessageId);
    entries.rememberSend(p.id(), clientMessageId, writer.lastIndex());
    return f;
  }

  private Future<Entry> updateNicknameOnLoop(ParticipantRecord p, String nickname) {
    String nick = ctx.checkNickname(nickname);
    requireStoreAccepting();
    ParticipantRecord renamed = p.withNickname(nick);
    participants.put(renamed);
    Future<Entry> f = appendOnLoop(renamed, EntryType.NICKNAME_UPDATED, nick, null, renamed);
    announceIfWaiting();
    return f;
  }

  private Future<Entry> updateDataOnLoop(ParticipantRecord p, Map<String, String> change) {
    if (change == null || change.isEmpty()) {
      throw ChatException.badRequest("userData must set at least one key");
    }
    ctx.checkUserData(userData, change);
    requireStoreAccepting();
    Future<Entry> f =
        appendOnLoop(p, EntryType.USER_DATA_UPDATED, UserData.encode(change), null, null);
    userData.putAll(change);
    announceIfWaiting();
    return f;
  }

  /** A waiting chat's summary changed: agents get the new one. */
  private void announceIfWaiting() {
    if (!participants.hasAgent()) {
      ctx.waiting(this);
    }
  }

  /** Refuses a request whose entry must be saved while saving fails or too much waits for it. */
  private void requireStoreAccepting() {
    if (writer.inTrouble()
        || writer.pendingCount() >= ctx.sessionOptions().getMaxPendingEntries()) {
      throw new ChatException(
          ErrorCode.STORE_UNAVAILABLE, "the transcript store is not accepting writes; retry");
    }
  }

  private Future<Void> leaveOnLoop(ParticipantRecord p) {
    ParticipantRecord gone = p.withLeft();
    participants.put(gone);
    writer.saveParticipant(gone);
    Future<Entry> left = appendOnLoop(gone, EntryType.PARTICIPANT_LEFT, "", null);
    if (p.type() == ParticipantType.CLIENT) {
      return left.compose(e -> closeOnLoop(CUSTOMER_LEFT));
    }
    if (!participants.anyPartyLeft()) {
      return left.compose(e -> closeOnLoop(ALL_LEFT));
    }
    if (p.type() == ParticipantType.AGENT) {
      ctx.waiting(this);
    }
    return left.mapEmpty();
  }

  Future<Void> closeOnLoop(String reason) {
    if (closed != null) {
      return Future.succeededFuture();
    }
    closed = new CloseInfo(reason, ctx.clock().millis());
    ended = true;
    ctx.noLongerWaiting(this);
    // Everything committed so far reaches the store before the close is recorded.
    Future<Void> saved =
        writer.whenIdle().compose(v -> ctx.persistClose(this, writer.epoch(), closed));
    listeners.closeAll(this, closed);
    ctx.closed(this);
    // The caller waits for the stored close at most one save timeout; retries go on meanwhile.
    return saved
        .timeout(ctx.transcriptOptions().getTranscriptSaveTimeout(), TimeUnit.MILLISECONDS)
        .recover(e -> Future.succeededFuture());
  }

  /** Checks inactivity at {@code now}: alert once, then close. */
  void checkInactivityOnLoop(long now) {
    if (closed != null || movingOut) {
      return;
    }
    switch (inactivity.check(now, ctx.sessionOptions().getInactivityControl())) {
      case ALERT ->
          appendSystemNoticeOnLoop(
              "The chat has been inactive; it will close soon without activity.");
      case CLOSE -> closeOnLoop(INACTIVITY);
      case NONE -> {}
    }
  }

  private void appendSystemNoticeOnLoop(String text) {
    ParticipantRecord system =
        new ParticipantRecord(SYSTEM_ID, ParticipantType.SYSTEM, "system", "-", 0, false);
    appendOnLoop(system, EntryType.NOTICE, text, null);
  }

  private Future<Entry> appendOnLoop(
      ParticipantRecord p, EntryType type, String text, String clientMessageId) {
    return appendOnLoop(p, type, text, clientMessageId, null);
  }

  /** Appends an entry from {@code p}, saving {@code record} (may be null) in the same write. */
  private Future<Entry> appendOnLoop(
      ParticipantRecord p,
      EntryType type,
      String text,
      String clientMessageId,
      ParticipantRecord record) {
    long now = ctx.clock().millis();
    return writer.append(
        index -> new Entry(index, type, p.id(), p.nickname(), p.type(), text, now, clientMessageId),
        record);
  }

  private Transcript sliceOnLoop(long after) {
    return new Transcript(entries.after(after), entries.nextPosition(), closed != null);
  }

  private SessionSummary summaryOnLoop() {
    return new SessionSummary(
        record.id(),
        participants.customerNickname(),
        record.subject(),
        java.util.Collections.unmodifiableMap(new LinkedHashMap<>(userData)),
        record.createdAt());
  }

  boolean hasAgentOnLoop() {
    return participants.hasAgent();
  }

  boolean isClosedOnLoop() {
    return closed != null;
  }

  SessionLoop loop() {
    return loop;
  }

  private ParticipantRecord authenticate(String participantId, String secureKey) {
    if (fenced.get()) {
      throw new ChatException(ErrorCode.NOT_OWNER, "another instance owns this chat now; retry");
    }
    return participants.authenticate(participantId, secureKey);
  }

  /** Runs {@code op} on the loop for an authenticated participant still in the open chat. */
  private <T> Future<T> asActive(
      String participantId,
      String secureKey,
      java.util.function.Function<ParticipantRecord, Future<T>> op) {
    return loop.call(() -> op.apply(activeParticipant(participantId, secureKey)));
  }

  private ParticipantRecord activeParticipant(String participantId, String secureKey) {
    ParticipantRecord p = authenticate(participantId, secureKey);
    requireOpen();
    requireStaying();
    if (p.left()) {
      throw new ChatException(ErrorCode.PARTICIPANT_LEFT, "this participant has left the chat");
    }
    return p;
  }

  private void requireOpen() {
    if (fenced.get()) {
      throw new ChatException(ErrorCode.NOT_OWNER, "another instance owns this chat now; retry");
    }
    if (closed != null) {
      throw new ChatException(ErrorCode.CHAT_ENDED, "the chat has ended (" + closed.reason() + ")");
    }
  }

  /** Refuses, retryably, a request that would add an entry while the chat is handed over. */
  private void requireStaying() {
    if (movingOut) {
      throw new ChatException(
          ErrorCode.INSTANCE_UNAVAILABLE, "the chat is moving to another server; retry");
    }
  }

  /** Connects the writer's outcomes to this session (runs on the loop). */
  private final class WriterSink implements SavePipeline.Sink {
    @Override
    public void commit(Entry entry) {
      entries.add(entry);
      ctx.kpi().messagesOut(listeners.size());
      listeners.entry(Session.this, entry);
      if (entry.type().isMessage()) {
        // arrival (the entry's time) to hand-over to every connected party, the save included
        ctx.kpi().deliverLatency(ctx.clock().millis() - entry.utcTime());
      }
    }

    @Override
    public void onSaveTrouble(boolean trouble) {
      if (!ctx.transcriptOptions().isTranscriptSaveNotices()) {
        return;
      }
      String text =
          trouble
              ? "Messages cannot be saved right now; they are not accepted until saving works again."
              : "Messages are saved again.";
      listeners.notice(Session.this, trouble ? "STORE_UNAVAILABLE" : "STORE_AVAILABLE", text);
    }

    @Override
    public void onSaveAbandoned() {
      writer.stop(ErrorCode.STORE_UNAVAILABLE, "the transcript could not be saved; chat closed");
      closeOnLoop(STORE_ERROR);
    }

    @Override
    public void onFenced() {
      fence();
    }
  }

  @Override
  public String toString() {
    return logPrefix;
  }
}
