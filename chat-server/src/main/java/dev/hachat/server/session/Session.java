package dev.hachat.server.session;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoredSession;
import dev.hachat.store.Visibility;
import io.vertx.core.Future;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * One live chat session: the handle the engine and the ports hold.
 *
 * <p>Threading: a session is confined to its {@link #loop}. Public methods may be called from any
 * thread: they hop onto the loop and return a Future; what they work on ({@link SessionState}, and
 * {@link Relocation} for its moves between instances) is touched only there. Package-private
 * methods whose name ends in {@code OnLoop} must already run there.
 */
public final class Session {
  static final String SYSTEM_ID = "system";

  private final SessionRecord record;
  private final SessionLoop loop;
  private final String logPrefix;
  private final SessionState state;
  private final Relocation relocation;

  /**
   * Whether a participant asked anything of this copy (joined, sent, read, subscribed, left): true
   * for a new chat, false for a restored one until its first participant request. On the loop.
   */
  private boolean attended = true;

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
      BooleanSupplier canAcknowledge) {
    this.record = record;
    this.loop = loop;
    this.logPrefix = "[" + ctx.instanceId() + "|" + record.id() + "]";
    this.state = new SessionState(this, loop, ctx, epoch, lastIndex, canAcknowledge);
    this.relocation = state.relocation();
  }

  /**
   * Rebuilds a session from the store on this instance, now its owner at {@code epoch}: the same
   * participants (keys are checked against the stored hashes), transcript and send ids, so clients
   * resume with the same credentials, positions and idempotency keys.
   */
  static Session restored(
      StoredSession stored,
      SessionLoop loop,
      SessionContext ctx,
      long epoch,
      BooleanSupplier canAcknowledge) {
    Session s = new Session(stored.session(), loop, ctx, epoch, stored.lastIndex(), canAcknowledge);
    s.state.restore(stored);
    s.attended = false;
    return s;
  }

  /** Writes the restore notice ({@link Relocation#restoredNotice}). */
  Future<Void> restoredNotice(boolean handedOver) {
    return relocation.restoredNotice(handedOver);
  }

  /** Open and served here: neither closed nor fenced nor handed over. Any thread. */
  boolean isLive() {
    return !state.ended() && !relocation.isFenced();
  }

  /** True once this copy was fenced or handed over; every request then gets NOT_OWNER. */
  boolean isFenced() {
    return relocation.isFenced();
  }

  /** First step of a hand-over ({@link Relocation#beginHandOver}). */
  Future<Long> beginHandOver(long timeoutMs) {
    return relocation.beginHandOver(timeoutMs);
  }

  /** The hand-over did not happen: the session goes on here as before. */
  void cancelHandOver() {
    relocation.cancelHandOver();
  }

  /** Stops this copy for good ({@link Relocation#fence}). Any thread; once. */
  void fence(Relocation.Fence why) {
    relocation.fence(why);
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
    return join(type, nickname, null);
  }

  /**
   * As above, for {@code holder} (an agent's login id): the same holder accepting again gets its
   * seat back under a new key (docs/esp.md, accept).
   */
  public Future<Joined> join(ParticipantType type, String nickname, String holder) {
    return join(type, nickname, holder, JoinMode.EXCLUSIVE);
  }

  /**
   * As above, in {@code mode}: an agent invited to a conference or a consult joins beside the agent
   * there (docs/engine.md, "Several agents").
   */
  public Future<Joined> join(ParticipantType type, String nickname, String holder, JoinMode mode) {
    return join(type, nickname, holder, mode, true);
  }

  /**
   * As above; {@code uninvited} false: a conference or consult join needs an invitation of {@code
   * holder} (ESP {@code join} of an agent without the supervisor role), else FORBIDDEN.
   */
  public Future<Joined> join(
      ParticipantType type, String nickname, String holder, JoinMode mode, boolean uninvited) {
    return loop.call(
        () -> {
          attended = true;
          return state.join(type, nickname, holder, mode, uninvited);
        });
  }

  /** Sends a message; a retry with the same {@code clientMessageId} returns the first entry. */
  public Future<Entry> send(
      String participantId, String secureKey, String clientMessageId, String text) {
    return send(participantId, secureKey, clientMessageId, text, Visibility.ALL);
  }

  /**
   * As above, read only by whom {@code visibility} allows ({@link Visibility#INT}: agents and
   * supervisors; only they may send it, else FORBIDDEN).
   */
  public Future<Entry> send(
      String participantId,
      String secureKey,
      String clientMessageId,
      String text,
      Visibility visibility) {
    return asActive(
        participantId,
        secureKey,
        p -> state.send(p, EntryType.MESSAGE, clientMessageId, text, visibility));
  }

  /** A custom notice from a participant (GMS {@code customNotice}); idempotent like a send. */
  public Future<Entry> customNotice(
      String participantId, String secureKey, String clientMessageId, String text) {
    return asActive(
        participantId,
        secureKey,
        p -> state.send(p, EntryType.CUSTOM_NOTICE, clientMessageId, text));
  }

  /**
   * A notice from the interaction side (ESP {@code queueNotice}: a queue position, a greeting),
   * written as a system entry everybody in the chat sees; no participant needed.
   */
  public Future<Entry> systemNotice(String text) {
    return loop.call(() -> state.systemNotice(text));
  }

  /**
   * The participant (an agent in the chat) invites the agent {@code agentId} in {@code mode}
   * (conference, consult: its join is then taken; transfer: a consultant there becomes the chat's
   * visible agent). docs/esp.md, {@code invite}.
   */
  public Future<Void> invite(String participantId, String secureKey, String agentId, String mode) {
    return asActive(participantId, secureKey, p -> state.invite(p, agentId, mode));
  }

  /** Typing started ({@code true}) or stopped. */
  public Future<Entry> typing(String participantId, String secureKey, boolean started) {
    return asActive(participantId, secureKey, p -> state.typing(p, started));
  }

  /**
   * Changes the participant's nickname (checked like at join): a {@code NicknameUpdated} entry from
   * the participant under its new nickname, saved together with its participant record, so a
   * restored session shows the new nickname. Every call adds an entry, a repeated one too; the
   * change is absolute, so a retry after an unknown outcome is harmless.
   */
  public Future<Entry> updateNickname(String participantId, String secureKey, String nickname) {
    return asActive(participantId, secureKey, p -> state.updateNickname(p, nickname));
  }

  /**
   * Sets user data keys (GMS {@code updateData}): a {@code UserDataUpdated} entry whose text is the
   * JSON object of the keys set. The session's user data is the creation data overlaid with every
   * update in index order; keys are never removed. A retry sets the same values again (one more
   * entry) and is harmless.
   */
  public Future<Entry> updateData(
      String participantId, String secureKey, Map<String, String> change) {
    return updateData(participantId, secureKey, change, Visibility.ALL);
  }

  /** As above, the entry read only by whom {@code visibility} allows (agents' internal data). */
  public Future<Entry> updateData(
      String participantId, String secureKey, Map<String, String> change, Visibility visibility) {
    return asActive(participantId, secureKey, p -> state.updateData(p, change, visibility));
  }

  /**
   * The participant leaves, with the reason of its kind ({@link ReasonCode#defaultLeave}: {@code
   * CUSTOMER_LEFT}, {@code AGENT_LEFT}, {@code LEFT}). A customer leaving ends the chat; when
   * nobody but observers is left the chat ends too; an agent leaving puts it back in the queue.
   */
  public Future<Void> leave(String participantId, String secureKey) {
    return asActive(
        participantId, secureKey, p -> state.leave(p, ReasonCode.defaultLeave(p.type()), true));
  }

  /**
   * As above, recording {@code reason} in the participant's {@code ParticipantLeft} entry (its
   * text), e.g. {@link ReasonCode#TRANSFERRED_OUT}. The chat ends as with the other form.
   *
   * <p>Fails with IllegalArgumentException if {@code reason} is not a leave reason ({@link
   * ReasonCode#endsPart()}).
   */
  public Future<Void> leave(String participantId, String secureKey, ReasonCode reason) {
    if (!reason.endsPart()) {
      return Future.failedFuture(new IllegalArgumentException("not a reason to leave: " + reason));
    }
    return asActive(participantId, secureKey, p -> state.leave(p, reason, true));
  }

  /**
   * Ends the chat on behalf of a participant (an agent's "close"). A retry whose first attempt left
   * but whose close was lost (its instance died between the two saves) still closes the chat.
   */
  public Future<Void> end(String participantId, String secureKey, ReasonCode reason) {
    return loop.call(() -> state.end(attendedBy(participantId, secureKey), reason));
  }

  /**
   * Closes a restored chat with {@code reason} if no participant asked anything of it since it was
   * restored here; true if it closed it (the orphan rule: docs/ucs.md, "Orphaned chats").
   */
  Future<Boolean> closeIfUnattended(ReasonCode reason) {
    return loop.call(
        () -> {
          if (attended || !isLive()) {
            return Future.succeededFuture(false);
          }
          relocation.requireStaying();
          return state.close(reason).map(true);
        });
  }

  /**
   * Ends the chat without a participant (interaction stopped, operator). Fails with
   * IllegalArgumentException if {@code reason} is not a close reason ({@link
   * ReasonCode#endsChat()}).
   */
  public Future<Void> close(ReasonCode reason) {
    return loop.call(
        () -> {
          relocation.requireStaying();
          return state.close(reason);
        });
  }

  /** Committed entries after {@code after}; readable by any participant, even after the end. */
  public Future<Transcript> entriesAfter(String participantId, String secureKey, long after) {
    return loop.call(
        () -> {
          ParticipantRecord p = attendedBy(participantId, secureKey);
          return Future.succeededFuture(state.slice(after, p.type()));
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
          ParticipantRecord p = attendedBy(participantId, secureKey);
          Runnable cancel = state.subscribe(p, after, listener);
          return Future.succeededFuture(() -> loop.run(cancel));
        });
  }

  /** A snapshot for agents choosing a chat. */
  public Future<SessionSummary> summary() {
    return loop.call(() -> Future.succeededFuture(state.summary()));
  }

  // ---- for the engine (on the loop) ------------------------------------------------------

  /**
   * Checks the first customer message and, if {@code inactivity}, inactivity at {@code now}: alert
   * once, then close.
   */
  void checkInactivityOnLoop(long now, boolean inactivity) {
    state.checkInactivity(now, inactivity);
  }

  boolean hasAgentOnLoop() {
    return state.hasAgent();
  }

  boolean isClosedOnLoop() {
    return state.isClosed();
  }

  SessionLoop loop() {
    return loop;
  }

  /** Runs {@code op} on the loop for an authenticated participant still in the open chat. */
  private <T> Future<T> asActive(
      String participantId, String secureKey, Function<ParticipantRecord, Future<T>> op) {
    return loop.call(
        () -> {
          ParticipantRecord p = state.activeParticipant(participantId, secureKey);
          attended = true;
          return op.apply(p);
        });
  }

  /** Authenticates a participant (throws if it cannot be) and notes that one came back. */
  private ParticipantRecord attendedBy(String participantId, String secureKey) {
    ParticipantRecord p = state.authenticate(participantId, secureKey);
    attended = true;
    return p;
  }

  @Override
  public String toString() {
    return logPrefix;
  }
}
