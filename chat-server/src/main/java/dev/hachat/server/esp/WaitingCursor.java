package dev.hachat.server.esp;

import dev.hachat.common.error.ChatException;
import dev.hachat.server.session.SessionSummary;

/**
 * Where a page of {@code listWaiting} ended: the creation time and id of its last chat, the order
 * waiting chats are listed in. Sent to clients as {@code "<createdAt>:<chatId>"}, to be given back
 * as {@code after}.
 */
record WaitingCursor(long createdAt, String chatId) {
  static final WaitingCursor START = new WaitingCursor(Long.MIN_VALUE, "");

  static WaitingCursor of(SessionSummary s) {
    return new WaitingCursor(s.createdAt(), s.chatId());
  }

  /** {@code null}: the first page; otherwise a cursor from an earlier reply's {@code next}. */
  static WaitingCursor parse(Object after) {
    if (after == null) {
      return START;
    }
    if (after instanceof String s) {
      int colon = s.indexOf(':');
      if (colon > 0) {
        try {
          return new WaitingCursor(Long.parseLong(s.substring(0, colon)), s.substring(colon + 1));
        } catch (NumberFormatException e) {
          // fall through to the refusal
        }
      }
    }
    throw ChatException.badRequest("field 'after' must be the 'next' of an earlier listWaiting");
  }

  String encode() {
    return createdAt + ":" + chatId;
  }

  /** Whether {@code s} comes after this cursor in the listing order. */
  boolean before(SessionSummary s) {
    int c = Long.compare(s.createdAt(), createdAt);
    return c > 0 || (c == 0 && s.chatId().compareTo(chatId) > 0);
  }
}
