package dev.hachat.esp.client;

/**
 * A {@code chatInvited} event: {@code from} (an agent's nickname) invited the agent {@code agentId}
 * into the chat owned by {@code instanceId}, in {@code mode} ({@code conference} or {@code
 * consult}).
 */
public record ChatInvited(
    String chatId, String agentId, String mode, String from, String instanceId) {}
