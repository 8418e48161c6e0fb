package dev.hachat.server.session;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The listeners subscribed to one session: each committed entry and notice goes to all. One
 * participant holds at most {@code max} of them; a newer one replaces its oldest (a reconnecting
 * client is never refused, and a client that opens streams in a loop holds no more than {@code
 * max}). Adds and removals run on the session's loop; delivery reads a concurrent set.
 */
final class Subscribers {
  private final Set<SessionListener> listeners = new CopyOnWriteArraySet<>();
  private final Map<String, Deque<SessionListener>> byParticipant = new HashMap<>();
  private final Runnable onReplace;

  /**
   * @param onReplace counts a stream replaced by a newer one
   */
  Subscribers(Runnable onReplace) {
    this.onReplace = onReplace;
  }

  /** Subscribes; the returned handle unsubscribes (on the session's loop). */
  Runnable add(Session session, String participantId, int max, SessionListener listener) {
    Deque<SessionListener> mine =
        byParticipant.computeIfAbsent(participantId, k -> new ArrayDeque<>());
    while (mine.size() >= max) {
      SessionListener oldest = mine.removeFirst();
      listeners.remove(oldest);
      onReplace.run();
      oldest.onReplaced(session);
    }
    mine.addLast(listener);
    listeners.add(listener);
    return () -> {
      listeners.remove(listener);
      Deque<SessionListener> d = byParticipant.get(participantId);
      if (d != null && d.remove(listener) && d.isEmpty()) {
        byParticipant.remove(participantId);
      }
    };
  }

  int size() {
    return listeners.size();
  }

  void entry(Session session, Entry entry) {
    listeners.forEach(l -> l.onEntry(session, entry));
  }

  void notice(Session session, String code, String text) {
    listeners.forEach(l -> l.onNotice(session, code, text));
  }

  /** Tells every subscriber the session ended for it, and forgets them all. */
  void closeAll(Session session, CloseInfo info) {
    listeners.forEach(l -> l.onClosed(session, info));
    listeners.clear();
    byParticipant.clear();
  }
}
