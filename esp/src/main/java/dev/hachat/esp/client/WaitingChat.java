package dev.hachat.esp.client;

import java.util.Map;

/** A chat waiting for an agent. */
public record WaitingChat(
    String chatId, String customer, String subject, Map<String, String> userData, long createdAt) {}
