package dev.hachat.server.session;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

/** The listeners subscribed to one session: each committed entry and notice goes to all. */
final class Subscribers {
  private final Set<SessionListener> listeners = new CopyOnWriteArraySet<>();

  /** Subscribes; the returned handle unsubscribes. */
  Runnable add(SessionListener listener) {
    listeners.add(listener);
    return () -> listeners.remove(listener);
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
  }
}
