package dev.hachat.server.session;

import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Chats waiting for an agent, announced to the engine's listeners as they come and go. A chat that
 * starts waiting is announced at once; changes of its summary (a burst of {@code updateData} or
 * nickname changes) within {@code session.waiting-update-interval} of an announcement are coalesced
 * into one announcement of the latest summary at the end of that interval. Each chat's entries are
 * touched on that chat's own loop; the maps are concurrent for the readers.
 */
final class WaitingChats {
  private static final Comparator<SessionSummary> OLDEST_FIRST =
      Comparator.comparingLong(SessionSummary::createdAt).thenComparing(SessionSummary::chatId);

  private final Vertx vertx;
  private final long intervalMs;
  private final Map<String, SessionSummary> waiting = new ConcurrentHashMap<>();

  /** Chats announced less than the interval ago, with whether a newer summary waits to go out. */
  private final Map<String, Window> recent = new ConcurrentHashMap<>();

  private final List<EngineListener> listeners;

  private static final class Window {
    boolean changed;
  }

  WaitingChats(Vertx vertx, long intervalMs, List<EngineListener> listeners) {
    this.vertx = vertx;
    this.intervalMs = intervalMs;
    this.listeners = listeners;
  }

  /** The session waits for an agent, or its summary changed (unless it closed or got one). */
  void add(Session session) {
    session
        .summary()
        .onSuccess(
            summary ->
                session
                    .loop()
                    .run(
                        () -> {
                          if (session.isClosedOnLoop() || session.hasAgentOnLoop()) {
                            return;
                          }
                          waiting.put(session.id(), summary);
                          announce(session);
                        }));
  }

  void remove(Session session, EngineListener.Why why) {
    recent.remove(session.id());
    if (waiting.remove(session.id()) != null) {
      listeners.forEach(l -> l.onNoLongerWaiting(session.id(), why));
    }
  }

  /** Oldest first (then by id, the order {@code listWaiting} pages in). */
  List<SessionSummary> list() {
    List<SessionSummary> list = new ArrayList<>(waiting.values());
    list.sort(OLDEST_FIRST);
    return list;
  }

  /** On the session's loop. */
  private void announce(Session session) {
    Window open = recent.get(session.id());
    if (open != null) {
      open.changed = true; // the end of the window sends the latest summary
      return;
    }
    SessionSummary latest = waiting.get(session.id());
    if (latest == null) {
      return;
    }
    listeners.forEach(l -> l.onWaiting(latest));
    if (intervalMs > 0) {
      Window w = new Window();
      recent.put(session.id(), w);
      // Set on the session's loop, so it fires there.
      vertx.setTimer(intervalMs, t -> endWindow(session, w));
    }
  }

  private void endWindow(Session session, Window w) {
    if (!recent.remove(session.id(), w)) {
      return; // the chat stopped waiting meanwhile (and may have a newer window)
    }
    if (w.changed) {
      announce(session);
    }
  }
}
