package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.spi.TranscriptStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A session's save pipeline. Entries get their index when appended and are committed (made visible,
 * acknowledged, pushed) strictly in index order, each only once the store holds it if its kind must
 * be saved first ({@code transcript-auto-save}). At most one store write is in flight per session;
 * entries appended meanwhile go out together in the next write (group commit), so the store always
 * receives a gap-free transcript.
 *
 * <p>A write the store refused for its data ({@code REJECTED}, which no retry cures; input checks
 * keep such data out, so this is the last line) must not stop the session. It is sent again split:
 * its participant records in a write of their own, then one entry per write. An entry refused alone
 * gives its index to a system notice ({@link #REFUSED_TEXT}), so the transcript stays gap-free, and
 * its senders get {@code BAD_REQUEST}; records refused alone (those of a refused join or nickname)
 * are left out, the store keeping their last accepted state. Nothing else is lost, and the entries
 * behind are saved and acknowledged as usual. (While split, a record may be saved just before its
 * entry instead of with it.)
 *
 * <p>Threading: confined to the owning session's loop, like the session itself.
 */
final class SavePipeline {
  private static final Logger LOG = LoggerFactory.getLogger(SavePipeline.class);

  /** The text of the system notice saved in place of an entry the store refused. */
  static final String REFUSED_TEXT =
      "A message could not be saved and was left out of the transcript.";

  /** Where committed entries go, and what happens when saving is fenced or given up. */
  interface Sink {
    void commit(Entry entry);

    void onSaveTrouble(boolean trouble);

    /** Saving failed for good under {@code transcript-save-on-error: close}. */
    void onSaveAbandoned();

    /** Another instance took the session over: this copy must stop. */
    void onFenced();
  }

  private static final class Pending {
    Entry entry; // the refused-entry notice takes its place if the store refuses it
    final boolean awaitSave;
    boolean saved;
    final List<Promise<Entry>> waiters = new ArrayList<>(1);

    Pending(Entry entry, boolean awaitSave) {
      this.entry = entry;
      this.awaitSave = awaitSave;
    }
  }

  private final Vertx vertx;
  private final SessionLoop loop;
  private final TranscriptStore store;
  private final TranscriptOptions options;
  private final Kpi kpi;
  private final String sessionId;
  private final Sink sink;
  private final String logPrefix;
  private final java.util.function.BooleanSupplier canAcknowledge;
  private final boolean saveEveryEntryFirst;

  private long epoch;
  private long lastIndex;
  private final ArrayDeque<Pending> pending = new ArrayDeque<>();
  private final Map<Long, Pending> pendingByIndex = new LinkedHashMap<>();
  private final List<Entry> unsaved = new ArrayList<>();
  private final Map<String, ParticipantRecord> unsavedParticipants = new LinkedHashMap<>();
  private boolean flushing;
  private boolean trouble;
  private boolean stopped;

  /** The next this many writes carry one entry each (a refused write is being split). */
  private int singly;

  private final List<Promise<Void>> idleWaiters = new ArrayList<>();

  SavePipeline(
      Vertx vertx,
      SessionLoop loop,
      TranscriptStore store,
      TranscriptOptions options,
      Kpi kpi,
      String sessionId,
      long epoch,
      long lastIndex,
      Sink sink,
      String logPrefix,
      java.util.function.BooleanSupplier canAcknowledge,
      boolean saveEveryEntryFirst) {
    this.vertx = vertx;
    this.loop = loop;
    this.store = store;
    this.options = options;
    this.kpi = kpi;
    this.sessionId = sessionId;
    this.epoch = epoch;
    this.lastIndex = lastIndex;
    this.sink = sink;
    this.logPrefix = logPrefix;
    this.canAcknowledge = canAcknowledge;
    this.saveEveryEntryFirst = saveEveryEntryFirst;
  }

  long lastIndex() {
    return lastIndex;
  }

  long epoch() {
    return epoch;
  }

  int pendingCount() {
    return pending.size();
  }

  /** True while saves fail and new messages are refused. */
  boolean inTrouble() {
    return trouble;
  }

  private boolean saving() {
    return options.getTranscriptAutoSave() > 0;
  }

  /**
   * Appends an entry built for the next index and returns a Future completed when it is committed.
   * Messages and requested changes ({@link dev.hachat.store.EntryType#savedBeforeAcknowledged})
   * wait for the store at auto-save 1 and 2; everything waits at 2, and at 1 too when sessions can
   * be restored elsewhere (an entry shown unsaved could lose its index in a crash).
   */
  Future<Entry> append(java.util.function.LongFunction<Entry> build) {
    return append(build, null);
  }

  /**
   * Appends an entry like {@link #append(java.util.function.LongFunction)} and upserts {@code
   * participant} (if not {@code null}) in the same store write, so the store never holds one
   * without the other (a nickname change and the record with the new nickname).
   */
  Future<Entry> append(
      java.util.function.LongFunction<Entry> build, ParticipantRecord participant) {
    assert loop.isCurrent();
    Entry entry = build.apply(++lastIndex);
    boolean await =
        options.getTranscriptAutoSave() == 2
            || (options.getTranscriptAutoSave() == 1
                && (entry.type().savedBeforeAcknowledged() || saveEveryEntryFirst));
    if (TestFault.ACK_BEFORE_SAVE.on() && entry.type() == EntryType.MESSAGE) {
      await = false; // test only: acknowledged before it is saved
    }
    Pending p = new Pending(entry, await);
    Promise<Entry> promise = Promise.promise();
    p.waiters.add(promise);
    pending.add(p);
    pendingByIndex.put(entry.index(), p);
    if (saving()) {
      unsaved.add(entry);
      if (participant != null) {
        unsavedParticipants.put(participant.id(), participant);
      }
      flush();
    }
    drain();
    return promise.future();
  }

  /** Queues a participant record for the next save (joins and leaves). */
  void saveParticipant(ParticipantRecord participant) {
    if (saving()) {
      unsavedParticipants.put(participant.id(), participant);
      flush();
    }
  }

  /** A Future for an entry not yet committed (a retried send), or {@code null} if none. */
  Future<Entry> whenCommitted(long index) {
    Pending p = pendingByIndex.get(index);
    if (p == null) {
      return null;
    }
    Promise<Entry> promise = Promise.promise();
    p.waiters.add(promise);
    return promise.future();
  }

  /** Completes when everything appended so far is saved (or at once when saving is off). */
  Future<Void> whenIdle() {
    if (!saving() || (unsaved.isEmpty() && unsavedParticipants.isEmpty() && !flushing)) {
      return Future.succeededFuture();
    }
    Promise<Void> p = Promise.promise();
    idleWaiters.add(p);
    return p.future();
  }

  /** Stops saving and fails everything still waiting. */
  void stop(ErrorCode code, String message) {
    stopped = true;
    for (Pending p : pending) {
      failWaiters(p, new ChatException(code, message));
    }
    pending.clear();
    pendingByIndex.clear();
    unsaved.clear();
    unsavedParticipants.clear();
    List<Promise<Void>> idle = List.copyOf(idleWaiters);
    idleWaiters.clear();
    idle.forEach(w -> w.tryFail(new ChatException(code, message)));
  }

  private void drain() {
    while (!pending.isEmpty()) {
      Pending head = pending.peek();
      if (head.awaitSave && !head.saved) {
        return;
      }
      pending.poll();
      pendingByIndex.remove(head.entry.index());
      sink.commit(head.entry);
      for (Promise<Entry> w : head.waiters) {
        w.tryComplete(head.entry);
      }
    }
  }

  private void flush() {
    if (flushing || stopped || (unsaved.isEmpty() && unsavedParticipants.isEmpty())) {
      if (!flushing && unsaved.isEmpty() && unsavedParticipants.isEmpty()) {
        // Copied first: a waiter's continuation may run here and come back (stop()).
        List<Promise<Void>> idle = List.copyOf(idleWaiters);
        idleWaiters.clear();
        idle.forEach(Promise::tryComplete);
      }
      return;
    }
    flushing = true;
    if (TestFault.ACK_BEFORE_SAVE.on()) {
      // Test only: write-behind; what was acknowledged meanwhile goes out a moment later.
      vertx.setTimer(TestFault.WRITE_BEHIND_MILLIS, t -> loop.run(this::send));
      return;
    }
    send();
  }

  private void send() {
    if (stopped) {
      return;
    }
    List<Entry> batch;
    if (singly > 0 && !unsaved.isEmpty()) {
      if (unsavedParticipants.isEmpty()) {
        singly--;
        batch = List.of(unsaved.get(0));
      } else {
        batch = List.of(); // the records first, alone: a refused one is told from a refused entry
      }
    } else {
      batch = List.copyOf(unsaved);
    }
    List<ParticipantRecord> parts = List.copyOf(unsavedParticipants.values());
    attempt(batch, parts, options.getTranscriptResendAttempts());
  }

  private void attempt(List<Entry> batch, List<ParticipantRecord> parts, int retriesLeft) {
    long started = System.nanoTime();
    store
        .append(sessionId, epoch, batch, parts)
        .timeout(options.getTranscriptSaveTimeout(), TimeUnit.MILLISECONDS)
        .onComplete(
            ar ->
                loop.run(
                    () -> {
                      if (stopped) {
                        return;
                      }
                      if (ar.succeeded()) {
                        kpi.saveLatency(System.nanoTime() - started);
                        saved(batch, parts);
                      } else {
                        failed(batch, parts, retriesLeft, ar.cause());
                      }
                    }));
  }

  private void saved(List<Entry> batch, List<ParticipantRecord> parts) {
    if (!canAcknowledge.getAsBoolean() && !TestFault.SKIP_EPOCH_FENCE.on()) {
      // Saved, but this instance's lease has lapsed: another instance may own the session by
      // now and may not have seen these entries. Acknowledge nothing; clients retry elsewhere.
      flushing = false;
      sink.onFenced();
      return;
    }
    unsaved.subList(0, batch.size()).clear();
    for (ParticipantRecord p : parts) {
      unsavedParticipants.remove(p.id(), p);
    }
    for (Entry e : batch) {
      Pending p = pendingByIndex.get(e.index());
      if (p != null) {
        p.saved = true;
      }
    }
    flushing = false;
    if (trouble) {
      trouble = false;
      LOG.info("{} transcript saves succeed again", logPrefix);
      sink.onSaveTrouble(false);
    }
    drain();
    flush();
  }

  private void failed(
      List<Entry> batch, List<ParticipantRecord> parts, int retriesLeft, Throwable cause) {
    kpi.saveFailure();
    if (StoreException.is(cause, StoreErrorKind.FENCED)) {
      if (TestFault.SKIP_EPOCH_FENCE.on()) {
        saved(batch, parts); // test only: acknowledged although another epoch owns the chat
        return;
      }
      flushing = false;
      sink.onFenced();
      return;
    }
    if (StoreException.is(cause, StoreErrorKind.REJECTED) && refused(batch, parts)) {
      flushing = false;
      flush();
      return;
    }
    if (retriesLeft > 0) {
      LOG.debug("{} save failed, {} retries left: {}", logPrefix, retriesLeft, cause.toString());
      vertx.setTimer(
          options.getTranscriptResendDelay(),
          t -> loop.run(() -> attempt(batch, parts, retriesLeft - 1)));
      return;
    }
    // Every attempt failed: nobody waiting may be acknowledged now.
    ChatException unavailable =
        new ChatException(
            ErrorCode.STORE_UNAVAILABLE,
            "the transcript could not be saved; the message was not accepted, send it again");
    for (Pending p : pending) {
      if (p.awaitSave && !p.saved) {
        failWaiters(p, unavailable);
      }
    }
    if (!trouble) {
      trouble = true;
      LOG.warn("{} transcript save failed after retries: {}", logPrefix, cause.toString());
      sink.onSaveTrouble(true);
    }
    if (options.getTranscriptSaveOnError() == TranscriptOptions.SaveOnError.CLOSE) {
      flushing = false;
      sink.onSaveAbandoned();
      return;
    }
    // CONTINUE: hold the entries and keep trying in the background.
    vertx.setTimer(
        options.getTranscriptResendDelay(),
        t -> loop.run(() -> attempt(batch, parts, options.getTranscriptResendAttempts())));
  }

  /**
   * Makes the next write one the store may accept after it refused {@code batch}; false if there is
   * nothing left to change (the ordinary retries follow).
   */
  private boolean refused(List<Entry> batch, List<ParticipantRecord> parts) {
    if (batch.size() > 1 || (batch.size() == 1 && !parts.isEmpty())) {
      LOG.warn(
          "{} the store refused a write of {} entries and {} participant records; sending them"
              + " one per write",
          logPrefix,
          batch.size(),
          parts.size());
      singly = batch.size();
      return true;
    }
    if (batch.size() == 1 && !isRefusedNotice(batch.get(0))) {
      Entry bad = batch.get(0);
      Entry notice =
          new Entry(
              bad.index(),
              EntryType.NOTICE,
              Session.SYSTEM_ID,
              "system",
              dev.hachat.store.ParticipantType.SYSTEM,
              REFUSED_TEXT,
              bad.utcTime(),
              null);
      LOG.error(
          "{} the store refused entry {} ({} of {}); a notice takes its place",
          logPrefix,
          bad.index(),
          bad.type(),
          bad.participantId());
      unsaved.set(0, notice);
      Pending p = pendingByIndex.get(bad.index());
      if (p != null) {
        p.entry = notice;
        failWaiters(
            p,
            ChatException.badRequest(
                "the transcript store refused this "
                    + (bad.type().isMessage() ? "message" : "change")
                    + "; it was not accepted"));
      }
      return true;
    }
    if (!parts.isEmpty()) {
      // Records refused on their own (a join's or a new nickname's, whose entry the store will
      // refuse too): the store keeps their last accepted state.
      LOG.error(
          "{} the store refused participant records {}; they are left out",
          logPrefix,
          parts.stream().map(ParticipantRecord::id).toList());
      for (ParticipantRecord p : parts) {
        unsavedParticipants.remove(p.id(), p);
      }
      return true;
    }
    return false;
  }

  static boolean isRefusedNotice(Entry e) {
    return e.type() == EntryType.NOTICE
        && Session.SYSTEM_ID.equals(e.participantId())
        && REFUSED_TEXT.equals(e.text());
  }

  private static void failWaiters(Pending p, ChatException e) {
    for (Promise<Entry> w : p.waiters) {
      w.tryFail(e);
    }
    p.waiters.clear();
  }
}
