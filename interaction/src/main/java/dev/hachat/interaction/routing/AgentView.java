package dev.hachat.interaction.routing;

/** One agent as routing sees it now. */
public record AgentView(
    String agentId, AgentState state, String reason, int chats, int capacity, boolean online) {}
