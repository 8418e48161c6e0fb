package dev.hachat.systemtest;

import dev.hachat.systemtest.RoutingHistory.Event;
import dev.hachat.systemtest.RoutingHistory.Kind;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One offer as its agent saw it, rebuilt from a {@link RoutingHistory} for {@link RoutingCheck};
 * times in nanoseconds ({@link #NEVER}: not seen). Mutable while it is rebuilt, then only read.
 */
final class RoutedOffer {
  static final long NEVER = Long.MAX_VALUE;

  final String offerId;
  final String chatId;
  final String agentId;
  final long start;

  /** The earliest sign the offer was over: the reject sent, the accept's reply, the revoke. */
  long endOverlap = NEVER;

  /** The moment the agent learnt it was over: the reply to its answer, or the revoke. */
  long endFree = NEVER;

  /** ACCEPTED, ACCEPT_FAILED, REJECTED or REVOKED ({@link #reason}); null: still out. */
  Kind outcome;

  /** The revoke's reason, or the failed answer's error code (null: the answer succeeded). */
  String reason;

  private RoutedOffer(Event e) {
    offerId = e.offerId();
    chatId = e.chatId();
    agentId = e.agentId();
    start = e.at();
  }

  /** The agent rejected it or let it time out. */
  boolean passed() {
    return outcome == Kind.REJECTED || (outcome == Kind.REVOKED && "timeout".equals(reason));
  }

  /** The offers of {@code events} (in time order), per chat, each chat's by start. */
  static Map<String, List<RoutedOffer>> byChat(List<Event> events) {
    Map<String, List<RoutedOffer>> byChat = new LinkedHashMap<>();
    Map<String, RoutedOffer> byId = new LinkedHashMap<>();
    for (Event e : events) {
      if (e.kind() == Kind.OFFER) {
        RoutedOffer o = new RoutedOffer(e);
        byId.put(o.offerId, o);
        byChat.computeIfAbsent(o.chatId, k -> new ArrayList<>()).add(o);
        continue;
      }
      RoutedOffer o = e.offerId() == null ? null : byId.get(e.offerId());
      if (o != null) {
        o.end(e);
      }
    }
    byChat.values().forEach(l -> l.sort(Comparator.comparingLong(o -> o.start)));
    return byChat;
  }

  private void end(Event e) {
    switch (e.kind()) {
      case REJECT_SENT -> endOverlap = Math.min(endOverlap, e.at());
      case ACCEPTED, ACCEPT_FAILED, REJECTED, REVOKED -> {
        endOverlap = Math.min(endOverlap, e.at());
        if (outcome == null || outcome == Kind.ACCEPT_FAILED || outcome == Kind.REJECTED) {
          // a revoke beats a late answer's error; a success is final
          outcome = e.kind();
          reason = e.detail();
        }
        endFree = Math.min(endFree, e.at());
      }
      default -> {}
    }
  }
}
