package dev.hachat.server.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Chats waiting for an agent, announced to the engine's listeners as they come and go. */
final class WaitingChats {
  private final Map<String, SessionSummary> waiting = new ConcurrentHashMap<>();
  private final List<EngineListener> listeners;

  WaitingChats(List<EngineListener> listeners) {
    this.listeners = listeners;
  }

  /** The session waits for an agent (unless it closed or got one meanwhile). */
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
                          listeners.forEach(l -> l.onWaiting(summary));
                        }));
  }

  void remove(Session session) {
    if (waiting.remove(session.id()) != null) {
      listeners.forEach(l -> l.onNoLongerWaiting(session.id()));
    }
  }

  /** Oldest first. */
  List<SessionSummary> list() {
    List<SessionSummary> list = new ArrayList<>(waiting.values());
    list.sort((a, b) -> Long.compare(a.createdAt(), b.createdAt()));
    return list;
  }
}
