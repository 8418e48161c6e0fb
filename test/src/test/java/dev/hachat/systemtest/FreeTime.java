package dev.hachat.systemtest;

import static dev.hachat.systemtest.RoutedOffer.NEVER;

import dev.hachat.systemtest.RoutingHistory.Event;
import dev.hachat.systemtest.RoutingHistory.Kind;
import dev.hachat.systemtest.RoutingHistory.Profile;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * When each agent of a {@link RoutingHistory} was free for an offer, as the router counts it:
 * Ready, no offer out, and fewer chats than its capacity. Each change is placed at the latest
 * moment the agent could know of it (an offer's end at the reply or revoke it got, a chat's end at
 * its chatClosed event), so a free stretch is never longer than it really was, but for the delivery
 * time of the offer that ends it. Immutable once built.
 */
final class FreeTime {
  private final Map<String, List<long[]>> stretches = new LinkedHashMap<>();

  /** From the history's {@code events} in time order and the offers rebuilt from them. */
  FreeTime(
      List<Event> events,
      Map<String, List<RoutedOffer>> offersByChat,
      Map<String, Profile> agents) {
    Map<String, RoutedOffer> byId = new LinkedHashMap<>();
    offersByChat.values().forEach(l -> l.forEach(o -> byId.put(o.offerId, o)));
    for (Map.Entry<String, Profile> agent : new TreeMap<>(agents).entrySet()) {
      String id = agent.getKey();
      // Each offer's end (the agent knew it was over) becomes a point of its own.
      List<Event> mine = new ArrayList<>();
      for (Event e : events) {
        if (!id.equals(e.agentId())) {
          continue;
        }
        if (e.kind() == Kind.OFFER) {
          RoutedOffer o = byId.get(e.offerId());
          mine.add(e);
          if (o.endFree != NEVER) {
            Kind k = o.outcome == Kind.ACCEPTED ? Kind.ACCEPTED : Kind.REVOKED;
            mine.add(new Event(o.endFree, id, k, o.chatId, o.offerId, "end"));
          }
        } else if (e.kind() == Kind.READY
            || e.kind() == Kind.NOT_READY
            || e.kind() == Kind.CLOSED) {
          mine.add(e);
        }
      }
      mine.sort(Comparator.comparingLong(Event::at));
      stretches.put(id, sweep(mine, agent.getValue().capacity()));
    }
  }

  private static List<long[]> sweep(List<Event> mine, int capacity) {
    List<long[]> out = new ArrayList<>();
    boolean ready = false;
    Set<String> offers = new HashSet<>();
    Set<String> chats = new LinkedHashSet<>();
    long since = -1;
    for (Event e : mine) {
      switch (e.kind()) {
        case READY -> ready = true;
        case NOT_READY -> ready = false;
        case OFFER -> offers.add(e.offerId());
        case ACCEPTED -> {
          offers.remove(e.offerId());
          chats.add(e.chatId());
        }
        case REVOKED -> offers.remove(e.offerId());
        case CLOSED -> chats.remove(e.chatId());
        default -> {}
      }
      boolean isFree = ready && offers.isEmpty() && chats.size() < capacity;
      if (isFree && since < 0) {
        since = e.at();
      } else if (!isFree && since >= 0) {
        out.add(new long[] {since, e.at()});
        since = -1;
      }
    }
    if (since >= 0) {
      out.add(new long[] {since, NEVER});
    }
    return out;
  }

  /** Per agent (by id), the stretches [from, to) it was free; {@code to} may be NEVER. */
  Map<String, List<long[]>> stretches() {
    return stretches;
  }

  /** Whether {@code agent} was free throughout [from, to]. */
  boolean throughout(String agent, long from, long to) {
    for (long[] f : stretches.getOrDefault(agent, List.of())) {
      if (f[0] <= from && to <= f[1]) {
        return true;
      }
    }
    return false;
  }
}
