package dev.hachat.interaction.routing;

import java.util.List;

/**
 * One agent as routing sees it now.
 *
 * @param stateMs how long it has been in its state (0: not known, e.g. at another server)
 * @param chatIds the chats it works on (empty where only the count is known)
 */
public record AgentView(
    String agentId,
    AgentState state,
    String reason,
    int chats,
    int capacity,
    boolean online,
    long stateMs,
    List<String> chatIds) {

  public AgentView {
    chatIds = chatIds == null ? List.of() : List.copyOf(chatIds);
  }

  public AgentView(
      String agentId, AgentState state, String reason, int chats, int capacity, boolean online) {
    this(agentId, state, reason, chats, capacity, online, 0, List.of());
  }
}
