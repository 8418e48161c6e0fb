package dev.hachat.server.session;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;

/**
 * Receives a session's committed entries in index order, without gaps, on the session's loop.
 * Implementations must not block; a push connection queues and drops itself if it falls behind.
 */
public interface SessionListener {
  void onEntry(Session session, Entry entry);

  void onClosed(Session session, CloseInfo info);

  /**
   * A newer stream of the same participant took this one's place ({@code
   * session.max-streams-per-participant}): nothing more comes to this listener.
   */
  default void onReplaced(Session session) {}

  /** An out-of-band notice that is not part of the transcript (e.g. store trouble). */
  default void onNotice(Session session, String code, String text) {}
}
