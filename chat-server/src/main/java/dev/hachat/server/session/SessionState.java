package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.RestoreNotice;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoredSession;
import dev.hachat.store.UserData;
import dev.hachat.store.Visibility;
import io.vertx.core.Future;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * What a {@link Session} holds and does: its participants, committed entries, subscribers, user
 * data and close, and the requests that change them.
 *
 * <p>Threading: confined to the session's loop; every method must run there (the {@link Session}
 * handle hops onto it). Exceptions: {@link #restore} runs before the session is published, and
 * {@link #ended()} may be read from any thread.
 */
final class SessionState {
  private final Session session;
  private final SessionRecord record;
  private final SessionContext ctx;
  private final SavePipeline writer;
  private final Relocation relocation;

  private final Roster participants = new Roster();

  /**
   * How long an invitation into the chat stays valid at the instance: well beyond the interaction
   * server's offer timeout. Kept in memory only: after a restore the inviter invites again.
   */
  static final long INVITATION_MS = 120_000;

  /** Agents invited into the chat (login id), and until when (session clock). */
  private final Map<String, Long> invitations = new java.util.HashMap<>();

  private final CommittedEntries entries = new CommittedEntries();
  private final Subscribers listeners;
  private final Inactivity inactivity;
  private final SessionLimits limits;

  /** The creation user data overlaid with every update appended so far ({@link UserData}). */
  private final Map<String, String> userData;

  private CloseInfo closed;

  /** Set (on the loop) once the chat closed; read from any thread ({@link Session#isLive()}). */
  private volatile boolean ended;

  /**
   * @param canAcknowledge the acknowledge guard, taken before this ownership was created or claimed
   *     (docs/consistency.md, R2 and R7)
   */
  SessionState(
      Session session,
      SessionLoop loop,
      SessionContext ctx,
      long epoch,
      long lastIndex,
      BooleanSupplier canAcknowledge) {
    this.session = session;
    this.record = session.record();
    this.ctx = ctx;
    this.listeners = new Subscribers(ctx.kpi().limits()::streamReplaced);
    this.writer =
        ctx.newWriter(
            record.id(),
            loop,
            epoch,
            lastIndex,
            new SessionSink(session, ctx, entries, listeners, this::saveAbandoned, this::takenOver),
            session.toString(),
            canAcknowledge);
    this.relocation = new Relocation(session, loop, ctx, writer, listeners, this::restoreNotice);
    this.inactivity = new Inactivity(ctx.clock().millis());
    this.limits =
        new SessionLimits(
            ctx.sessionOptions(), ctx.kpi().limits(), ctx.clock(), record.createdAt());
    this.userData = new LinkedHashMap<>(record.userData());
  }

  /** Takes the participants, transcript and send ids of a stored session (before publication). */
  void restore(StoredSession stored) {
    participants.putAll(stored.participantsInTranscript());
    entries.restore(stored.entries());
    limits.restore(stored.entries());
    stored.entries().forEach(e -> UserData.apply(userData, e));
    closed = stored.closed();
    ended = closed != null;
  }

  Relocation relocation() {
    return relocation;
  }

  /** Whether the chat closed. Any thread. */
  boolean ended() {
    return ended;
  }

  boolean isClosed() {
    return closed != null;
  }

  /**
   * Whether an agent the customer sees works on the chat: a consultant alone (its join internal)
   * does not count, so a chat left with only a consultant waits for an agent again.
   */
  boolean hasAgent() {
    return participants.agents().stream()
        .anyMatch(a -> entries.joinVisibility(a.id()) == Visibility.ALL);
  }

  // ---- requests --------------------------------------------------------------------------

  /**
   * A participant joins. {@code holder} (an agent's login id, or null) is recorded, as a hash, with
   * the agent's join: when the same holder accepts the chat again (its first answer was lost in a
   * failover) it gets its own seat back under a new secure key instead of ALREADY_TAKEN. The holder
   * itself is kept in the participant record ({@link ParticipantRecord#agentId()}), which no client
   * sees, for the contact history's statistics per agent.
   */
  Future<Joined> join(ParticipantType type, String nickname, String holder) {
    return join(type, nickname, holder, JoinMode.EXCLUSIVE);
  }

  /**
   * A join in {@code mode}: {@link JoinMode#EXCLUSIVE} is the accept of a waiting chat (one agent);
   * an invited agent (conference) joins beside the agent there, a consulted one with its join entry
   * visible to agents only. The same holder joining again gets its own seat back either way.
   */
  Future<Joined> join(ParticipantType type, String nickname, String holder, JoinMode mode) {
    return join(type, nickname, holder, mode, true);
  }

  /**
   * As above; {@code uninvited} false: a conference or consult join needs an invitation of {@code
   * holder} by an agent in the chat ({@link #invite}, within {@link #INVITATION_MS}), else
   * FORBIDDEN (only a supervisor may step in unasked). A consult needs a visible agent there.
   */
  Future<Joined> join(
      ParticipantType type, String nickname, String holder, JoinMode mode, boolean uninvited) {
    requireOpen();
    relocation.requireStaying();
    String tag = holder == null ? null : HolderTag.of(holder);
    if (type == ParticipantType.AGENT && tag != null) {
      ParticipantRecord mine = participants.agentTagged(tag, entries::joinTag);
      if (mine != null) {
        return rejoin(mine);
      }
    }
    if (mode != JoinMode.EXCLUSIVE) {
      Long until = holder == null ? null : invitations.get(holder);
      if (!uninvited && (until == null || until < ctx.clock().millis())) {
        throw new ChatException(
            ErrorCode.FORBIDDEN, "no invitation into this chat is out to " + holder);
      }
      if (mode == JoinMode.CONSULT && !hasAgent()) {
        throw ChatException.badRequest("a consult needs an agent in the chat to consult with");
      }
    }
    participants.checkRoom(
        type, ctx.sessionOptions().getMaxParticipants(), mode == JoinMode.EXCLUSIVE, hasAgent());
    if (holder != null) {
      invitations.remove(holder);
    }
    String nick = ctx.checkNickname(nickname);
    String key = Secrets.newSecureKey();
    ParticipantRecord p =
        participants.add(type, nick, Secrets.hash(key), ctx.clock().millis(), holder);
    // A consulted agent and an observing supervisor come in unseen by the customer.
    Visibility seen =
        mode == JoinMode.CONSULT || type == ParticipantType.SUPERVISOR
            ? Visibility.INT
            : Visibility.ALL;
    // The record goes in the join's own store write: never one without the other.
    return append(p, EntryType.PARTICIPANT_JOINED, "", tag, p, seen)
        .map(
            e -> {
              if (type == ParticipantType.AGENT && seen == Visibility.ALL) {
                ctx.noLongerWaiting(session, EngineListener.Why.ACCEPTED);
              }
              return new Joined(record.id(), p.id(), type, key, visible(entries.all(), type));
            });
  }

  /** The holder's seat again, under a new key (the old one is no longer accepted). */
  private Future<Joined> rejoin(ParticipantRecord mine) {
    requireStoreAccepting();
    String key = Secrets.newSecureKey();
    ParticipantRecord rekeyed = mine.withSecureKeyHash(Secrets.hash(key));
    participants.put(rekeyed);
    writer.saveParticipant(rekeyed);
    return writer
        .whenIdle()
        .timeout(ctx.transcriptOptions().getTranscriptSaveTimeout(), TimeUnit.MILLISECONDS)
        .recover(
            e ->
                Future.failedFuture(
                    new ChatException(
                        ErrorCode.STORE_UNAVAILABLE, "the new key is not saved yet; retry")))
        .map(
            v ->
                new Joined(
                    record.id(), mine.id(), mine.type(), key, visible(entries.all(), mine.type())));
  }

  /** A message or custom notice; a retry with the same {@code clientMessageId} gets the first. */
  Future<Entry> send(ParticipantRecord p, EntryType type, String clientMessageId, String text) {
    return send(p, type, clientMessageId, text, Visibility.ALL);
  }

  /**
   * As above, read only by the participants {@code visibility} allows: an internal ({@link
   * Visibility#INT}) line comes from an agent or a supervisor, else FORBIDDEN.
   */
  Future<Entry> send(
      ParticipantRecord p,
      EntryType type,
      String clientMessageId,
      String text,
      Visibility visibility) {
    if (!visibility.visibleTo(p.type())) {
      throw new ChatException(
          ErrorCode.FORBIDDEN, "only agents and supervisors send internal (consult) lines");
    }
    ctx.checkClientMessageId(clientMessageId);
    ctx.checkText(text);
    Long index = entries.sentIndex(p.id(), clientMessageId);
    if (index != null) {
      ctx.kpi().duplicateSend();
      Future<Entry> pending = writer.whenCommitted(index);
      if (pending != null) {
        return pending.compose(SessionState::unlessRefused);
      }
      Entry committed = entries.get(index);
      if (committed != null) {
        return unlessRefused(committed);
      }
      throw new ChatException(ErrorCode.NOT_OWNER, "this instance no longer owns the chat");
    }
    requireStoreAccepting();
    limits.checkSend(p.id(), text.length());
    ctx.kpi().messageIn();
    inactivity.touch(ctx.clock().millis());
    Future<Entry> f = append(p, type, text, clientMessageId, null, visibility);
    entries.rememberSend(p.id(), clientMessageId, writer.lastIndex());
    return f;
  }

  /** A resent message's first answer: the entry, or BAD_REQUEST if the store refused it. */
  private static Future<Entry> unlessRefused(Entry e) {
    return SavePipeline.isRefusedNotice(e)
        ? Future.failedFuture(
            ChatException.badRequest(
                "the transcript store refused this message; it was not accepted"))
        : Future.succeededFuture(e);
  }

  Future<Entry> typing(ParticipantRecord p, boolean started) {
    limits.checkTyping(p.id());
    // Seen by those who saw it join: a consultant's or an observer's typing stays among agents.
    return append(
        p,
        started ? EntryType.TYPING_STARTED : EntryType.TYPING_STOPPED,
        "",
        null,
        null,
        entries.joinVisibility(p.id()));
  }

  Future<Entry> updateNickname(ParticipantRecord p, String nickname) {
    String nick = ctx.checkNickname(nickname);
    requireStoreAccepting();
    limits.checkUpdate(p.id(), nick.length());
    ParticipantRecord renamed = p.withNickname(nick);
    participants.put(renamed);
    Future<Entry> f = append(renamed, EntryType.NICKNAME_UPDATED, nick, null, renamed);
    announceIfWaiting();
    return f;
  }

  Future<Entry> updateData(ParticipantRecord p, Map<String, String> change) {
    return updateData(p, change, Visibility.ALL);
  }

  /**
   * As above, the entry read only by whom {@code visibility} allows: the interaction side's own
   * keys (routing counts, a transfer's target) are internal, kept from the customer.
   */
  Future<Entry> updateData(ParticipantRecord p, Map<String, String> change, Visibility visibility) {
    if (!Visibility.INT.visibleTo(p.type())) {
      ReservedKeys.refuse(change);
    }
    if (!visibility.visibleTo(p.type())) {
      throw new ChatException(
          ErrorCode.FORBIDDEN, "only agents and supervisors set internal user data");
    }
    if (change == null || change.isEmpty()) {
      throw ChatException.badRequest("userData must set at least one key");
    }
    ctx.checkUserData(userData, change);
    requireStoreAccepting();
    String encoded = UserData.encode(change);
    limits.checkUpdate(p.id(), encoded.length());
    Future<Entry> f = append(p, EntryType.USER_DATA_UPDATED, encoded, null, null, visibility);
    userData.putAll(change);
    announceIfWaiting();
    return f;
  }

  /** A waiting chat's summary changed: agents get the new one. */
  private void announceIfWaiting() {
    if (!participants.hasAgent()) {
      ctx.waiting(session);
    }
  }

  /**
   * An agent in the chat ({@code p}) invites the agent {@code agentId}: a conference or consult
   * join of it is taken for {@link #INVITATION_MS}. {@code transfer}: the chat is handed to it; if
   * it is in the chat as a consultant already, its seat becomes visible (a second, visible join
   * entry: the customer sees it join now) and the chat never waits.
   */
  Future<Void> invite(ParticipantRecord p, String agentId, String mode) {
    if (p.type() != ParticipantType.AGENT && p.type() != ParticipantType.SUPERVISOR) {
      throw new ChatException(ErrorCode.FORBIDDEN, "only agents invite agents");
    }
    if ("transfer".equals(mode)) {
      String tag = HolderTag.of(agentId);
      ParticipantRecord seat = participants.agentTagged(tag, entries::joinTag);
      if (seat != null && entries.joinVisibility(seat.id()) == Visibility.INT) {
        requireStoreAccepting();
        return append(seat, EntryType.PARTICIPANT_JOINED, "", tag).mapEmpty();
      }
      return Future.succeededFuture();
    }
    invitations.put(agentId, ctx.clock().millis() + INVITATION_MS);
    return Future.succeededFuture();
  }

  /** Refuses a request whose entry must be saved while saving fails or too much waits for it. */
  private void requireStoreAccepting() {
    if (writer.inTrouble()
        || writer.pendingCount() >= ctx.sessionOptions().getMaxPendingEntries()) {
      throw new ChatException(
          ErrorCode.STORE_UNAVAILABLE, "the transcript store is not accepting writes; retry");
    }
  }

  /**
   * The participant leaves for {@code reason} (the text of its {@code ParticipantLeft} entry).
   * {@code backToQueue}: an agent leaving puts the chat back on the waiting list.
   */
  Future<Void> leave(ParticipantRecord p, ReasonCode reason, boolean backToQueue) {
    ParticipantRecord gone = p.withLeft();
    participants.put(gone);
    Future<Entry> left =
        append(
            gone,
            EntryType.PARTICIPANT_LEFT,
            reason.name(),
            null,
            gone,
            entries.joinVisibility(p.id()));
    if (p.type() == ParticipantType.CLIENT) {
      return left.compose(e -> close(ReasonCode.CUSTOMER_LEFT));
    }
    if (!participants.anyPartyLeft()) {
      return left.compose(e -> close(ReasonCode.ALL_LEFT));
    }
    if (p.type() == ParticipantType.AGENT && backToQueue) {
      ctx.waiting(session);
    }
    return left.mapEmpty();
  }

  /**
   * A participant ends the chat: it leaves, if it has not yet, then the chat closes. One that left
   * may still end it while no other agent took the chat (its first attempt lost the close).
   */
  Future<Void> end(ParticipantRecord p, ReasonCode reason) {
    requireCloseReason(reason);
    requireOpen();
    relocation.requireStaying();
    if (p.left() && participants.hasAgent()) {
      throw new ChatException(ErrorCode.PARTICIPANT_LEFT, "this participant has left the chat");
    }
    ReasonCode why = reason.endsPart() ? reason : ReasonCode.defaultLeave(p.type());
    Future<Void> gone = p.left() ? Future.succeededFuture() : leave(p, why, false); // not re-queued
    return gone.compose(v -> close(reason));
  }

  Future<Void> close(ReasonCode reason) {
    requireCloseReason(reason);
    if (closed != null) {
      return Future.succeededFuture();
    }
    closed = new CloseInfo(reason, ctx.clock().millis());
    ended = true;
    ctx.noLongerWaiting(session, EngineListener.Why.CLOSED);
    // Everything committed so far reaches the store before the close is recorded.
    Future<Void> saved =
        writer.whenIdle().compose(v -> ctx.persistClose(session, writer.epoch(), closed));
    listeners.closeAll(session, closed);
    ctx.closed(session);
    // The caller waits for the stored close at most one save timeout; retries go on meanwhile.
    // A close that failed for good (fenced: another instance owns the chat now) is not the
    // chat's end: the caller must end it again there, or the chat goes on closed only here.
    return saved
        .timeout(ctx.transcriptOptions().getTranscriptSaveTimeout(), TimeUnit.MILLISECONDS)
        .recover(
            e ->
                e instanceof java.util.concurrent.TimeoutException
                    ? Future.succeededFuture()
                    : Future.failedFuture(
                        new ChatException(
                            ErrorCode.NOT_OWNER,
                            "the close was not saved: another instance owns this chat now;"
                                + " end it again")));
  }

  /** Checks inactivity at {@code now}: alert once, then close; and the first customer message. */
  void checkInactivity(long now, boolean inactivityControl) {
    if (closed != null || relocation.isMovingOut()) {
      return;
    }
    if (limits.customerSilentTooLong(now)) {
      ctx.kpi().limits().noCustomerMessage();
      close(ReasonCode.NO_CUSTOMER_MESSAGE);
      return;
    }
    switch (inactivityControl
        ? inactivity.check(now, ctx.sessionOptions().getInactivityControl())
        : Inactivity.Step.NONE) {
      case ALERT ->
          appendSystemNotice("The chat has been inactive; it will close soon without activity.");
      case CLOSE -> close(ReasonCode.INACTIVITY);
      case NONE -> {}
    }
  }

  Transcript slice(long after) {
    return new Transcript(entries.after(after), entries.nextPosition(), closed != null);
  }

  /** The entries after {@code after} that a participant of kind {@code viewer} may read. */
  Transcript slice(long after, ParticipantType viewer) {
    return new Transcript(
        visible(entries.after(after), viewer), entries.nextPosition(), closed != null);
  }

  private static List<Entry> visible(List<Entry> all, ParticipantType viewer) {
    if (Visibility.INT.visibleTo(viewer)) {
      return all;
    }
    return all.stream().map(e -> VisibleOnly.shown(e, viewer)).filter(e -> e != null).toList();
  }

  /** Replays the entries after {@code after} to {@code p}'s new listener, then follows. */
  Runnable subscribe(ParticipantRecord p, long after, SessionListener given) {
    SessionListener listener = VisibleOnly.to(p.type(), given);
    for (Entry e : slice(after).entries()) {
      listener.onEntry(session, e);
    }
    if (closed != null) {
      listener.onClosed(session, closed);
      return () -> {};
    }
    return listeners.add(
        session, p.id(), ctx.sessionOptions().getMaxStreamsPerParticipant(), listener);
  }

  SessionSummary summary() {
    return new SessionSummary(
        record.id(),
        participants.customerNickname(),
        record.subject(),
        Collections.unmodifiableMap(new LinkedHashMap<>(userData)),
        record.createdAt());
  }

  // ---- checks ----------------------------------------------------------------------------

  ParticipantRecord authenticate(String participantId, String secureKey) {
    relocation.requireOwner();
    return participants.authenticate(participantId, secureKey);
  }

  /** An authenticated participant still in the open chat that stays here. */
  ParticipantRecord activeParticipant(String participantId, String secureKey) {
    ParticipantRecord p = authenticate(participantId, secureKey);
    requireOpen();
    relocation.requireStaying();
    if (p.left()) {
      throw new ChatException(ErrorCode.PARTICIPANT_LEFT, "this participant has left the chat");
    }
    return p;
  }

  private static void requireCloseReason(ReasonCode reason) {
    if (!reason.endsChat()) {
      throw new IllegalArgumentException("not a close reason: " + reason);
    }
  }

  private void requireOpen() {
    relocation.requireOwner();
    if (closed != null) {
      throw new ChatException(ErrorCode.CHAT_ENDED, "the chat has ended (" + closed.reason() + ")");
    }
  }

  // ---- appending -------------------------------------------------------------------------

  /** Another instance claimed the chat: this copy is fenced. */
  private void takenOver() {
    relocation.fence(Relocation.Fence.TAKEN_OVER);
  }

  /** Saving gave up for good: nothing more is accepted, and the chat closes. */
  private void saveAbandoned() {
    writer.stop(ErrorCode.STORE_UNAVAILABLE, "the transcript could not be saved; chat closed");
    close(ReasonCode.STORE_ERROR);
  }

  private Future<Entry> appendSystemNotice(String text) {
    return appendSystemNotice(text, null);
  }

  /** A system notice; {@code tag} (may be null) marks it for machines ({@link RestoreNotice}). */
  private Future<Entry> appendSystemNotice(String text, String tag) {
    ParticipantRecord system =
        new ParticipantRecord(Session.SYSTEM_ID, ParticipantType.SYSTEM, "system", "-", 0, false);
    return append(system, EntryType.NOTICE, text, tag);
  }

  /** The restore notice ({@link RestoreNotice}), tagged so that the contact history counts it. */
  Future<Entry> restoreNotice(boolean handedOver) {
    return appendSystemNotice(RestoreNotice.text(handedOver), RestoreNotice.tag(handedOver));
  }

  /** The interaction side's notice to the chat (queue position, a greeting). */
  Future<Entry> systemNotice(String text) {
    requireOpen();
    ctx.checkText(text);
    return appendSystemNotice(text);
  }

  private Future<Entry> append(
      ParticipantRecord p, EntryType type, String text, String clientMessageId) {
    return append(p, type, text, clientMessageId, null, Visibility.ALL);
  }

  private Future<Entry> append(
      ParticipantRecord p,
      EntryType type,
      String text,
      String clientMessageId,
      ParticipantRecord record) {
    return append(p, type, text, clientMessageId, record, Visibility.ALL);
  }

  /**
   * Appends an entry from {@code p} read by those {@code visibility} allows, saving {@code record}
   * (may be null) in the same write.
   */
  private Future<Entry> append(
      ParticipantRecord p,
      EntryType type,
      String text,
      String clientMessageId,
      ParticipantRecord record,
      Visibility visibility) {
    long now = ctx.clock().millis();
    return writer.append(
        index -> {
          Entry e =
              new Entry(
                  index,
                  type,
                  p.id(),
                  p.nickname(),
                  p.type(),
                  text,
                  now,
                  clientMessageId,
                  visibility);
          limits.appended(e);
          return e;
        },
        record);
  }
}
