package dev.hachat.server.session;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sessions this instance holds in memory, by id (open ones, and closed or fenced ones still
 * answering for their retention time), and the count of open ones that {@code limit-for-sessions}
 * and the {@code sessions_active} gauge read.
 *
 * <p>A session leaves the open count once, however it stops being open here (closed, fenced, handed
 * over, in any order): the count is of the sessions in {@code counted}, plus the slots taken for
 * chats being created.
 *
 * <p>Threading: thread-safe (concurrent map and set, atomic count); any thread.
 */
final class SessionTable {
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Set<Session> counted = ConcurrentHashMap.newKeySet();
  private final AtomicInteger open = new AtomicInteger();

  /** The copy held for this id, or null. */
  Session get(String chatId) {
    return chatId == null ? null : sessions.get(chatId);
  }

  /** The copy held for this id if it may still serve (not fenced), else null. */
  Session servable(String chatId) {
    Session s = get(chatId);
    return s != null && !s.isFenced() ? s : null;
  }

  boolean holds(String chatId) {
    return sessions.containsKey(chatId);
  }

  /** Whether {@code s} is the copy held for its id. */
  boolean isCurrent(Session s) {
    return sessions.get(s.id()) == s;
  }

  /** Every copy held, open or not (a live view). */
  Collection<Session> all() {
    return sessions.values();
  }

  int openCount() {
    return open.get();
  }

  /** Ids of the open chats held. */
  List<String> liveIds() {
    List<String> ids = new ArrayList<>();
    for (Session s : sessions.values()) {
      if (s.isLive()) {
        ids.add(s.id());
      }
    }
    return ids;
  }

  /** Creation time (epoch millis) of the oldest open chat held, or -1 if none. */
  long oldestLiveCreatedAt() {
    long oldest = -1;
    for (Session s : sessions.values()) {
      long t = s.record().createdAt();
      if (s.isLive() && (oldest < 0 || t < oldest)) {
        oldest = t;
      }
    }
    return oldest;
  }

  /** Takes an open slot for a chat about to be created; false (nothing taken) at {@code limit}. */
  boolean reserve(int limit) {
    if (open.incrementAndGet() > limit) {
      open.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Gives back a slot taken by {@link #reserve} for a chat that was not created. */
  void unreserve() {
    open.decrementAndGet();
  }

  /** A chat created here, in a slot taken by {@link #reserve}. */
  void add(Session s) {
    counted.add(s);
    sessions.put(s.id(), s);
  }

  /**
   * A copy restored from the store, counted open unless it is closed there; the copy it replaces,
   * if any, is fenced.
   */
  void install(Session s, boolean isOpen) {
    if (isOpen) {
      open.incrementAndGet();
      counted.add(s);
    }
    Session old = sessions.put(s.id(), s);
    if (old != null) {
      old.fence(Relocation.Fence.TAKEN_OVER);
    }
  }

  /** {@code s} is no longer open here: it leaves the open count (once, whatever the path). */
  void countOut(Session s) {
    if (counted.remove(s)) {
      open.decrementAndGet();
    }
  }

  /** Forgets {@code s} if it is still the copy held for its id; true if it was. */
  boolean remove(Session s) {
    return sessions.remove(s.id(), s);
  }
}
