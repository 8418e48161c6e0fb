package dev.hachat.interaction.routing;

import java.util.List;
import java.util.Map;

/**
 * Which agent a queued chat is offered to: its last agent if it can take it and has not passed it;
 * else, of the agents Ready with free capacity and the skill, the best ({@link AgentEntry#BEST})
 * that has not passed it; when every one has, the round starts again. Pure; on the router's
 * context.
 */
final class Pick {
  private Pick() {}

  static AgentEntry agentFor(QueuedChat c, Map<String, AgentEntry> agents) {
    AgentEntry last = c.lastAgent == null ? null : agents.get(c.lastAgent);
    if (last != null
        && last.canTakeOffer()
        && last.serves(c.queue)
        && !c.passedBy.contains(last.agentId)) {
      return last;
    }
    List<AgentEntry> able =
        agents.values().stream()
            .filter(a -> a.canTakeOffer() && a.serves(c.queue))
            .sorted(AgentEntry.BEST)
            .toList();
    for (AgentEntry a : able) {
      if (!c.passedBy.contains(a.agentId)) {
        return a;
      }
    }
    if (!able.isEmpty()) {
      c.passedBy.clear(); // every agent that can take it passed it: start the round again
      return able.get(0);
    }
    return null;
  }
}
