package dev.hachat.interaction.routing;

import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** One agent as the router sees it. Mutable; owned by the {@link Router}'s context. */
final class AgentEntry {
  /** The order offers go in: least busy first, then the longest since its last chat. */
  static final Comparator<AgentEntry> BEST =
      Comparator.<AgentEntry>comparingInt(AgentEntry::load)
          .thenComparingLong(a -> a.idleSince)
          .thenComparing(a -> a.agentId);

  final String agentId;

  /** The interaction server serving its desktop; empty: this one. */
  String home = "";

  int capacity;

  /** Queues it serves; empty: every queue. */
  Set<String> skills;

  AgentState state = AgentState.NOT_READY;
  String reason = "login";

  /** Router clock when the state began. */
  long stateSince;

  /** Router clock when it last had nothing to do (longest idle is offered first). */
  long idleSince;

  boolean online;

  /** Chats it works on (accepted through this router, or kept from before a reconnect). */
  final Set<String> chats = new LinkedHashSet<>();

  /** Its offer out, if any: one at a time. */
  Offer offer;

  /** Offers in a row it let time out. */
  int missed;

  long acwTimer = -1;

  AgentEntry(String agentId, int capacity, Set<String> skills, long now) {
    this.agentId = agentId;
    this.capacity = capacity;
    this.skills = skills;
    this.stateSince = now;
    this.idleSince = now;
  }

  boolean serves(String queue) {
    return skills.isEmpty() || skills.contains(queue);
  }

  /** Chats it has plus the one offered: what counts against its capacity. */
  int load() {
    return chats.size() + (offer == null ? 0 : 1);
  }

  boolean canTakeOffer() {
    return online && state == AgentState.READY && offer == null && load() < capacity;
  }

  AgentView view(long now) {
    return new AgentView(
        agentId,
        state,
        reason,
        chats.size(),
        capacity,
        online,
        now - stateSince,
        List.copyOf(chats));
  }
}
