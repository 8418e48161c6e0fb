package dev.hachat.server.session;

import dev.hachat.store.Entry;

/**
 * Connects a session's save pipeline to the session (runs on the session's loop): a committed entry
 * joins the transcript and goes to every subscriber; save trouble becomes a notice; an abandoned
 * save and a fence are handed back to the session.
 */
final class SessionSink implements SavePipeline.Sink {
  private final Session session;
  private final SessionContext ctx;
  private final CommittedEntries entries;
  private final Subscribers listeners;
  private final Runnable onAbandoned;
  private final Runnable onFenced;

  SessionSink(
      Session session,
      SessionContext ctx,
      CommittedEntries entries,
      Subscribers listeners,
      Runnable onAbandoned,
      Runnable onFenced) {
    this.session = session;
    this.ctx = ctx;
    this.entries = entries;
    this.listeners = listeners;
    this.onAbandoned = onAbandoned;
    this.onFenced = onFenced;
  }

  @Override
  public void commit(Entry entry) {
    entries.add(entry);
    ctx.kpi().messagesOut(listeners.size());
    listeners.entry(session, entry);
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
    listeners.notice(session, trouble ? "STORE_UNAVAILABLE" : "STORE_AVAILABLE", text);
  }

  @Override
  public void onSaveAbandoned() {
    onAbandoned.run();
  }

  @Override
  public void onFenced() {
    onFenced.run();
  }
}
