package dev.hachat.esp.client;

/**
 * A {@code chatLocated} event: an open chat was restored on the instance that sent it (after its
 * owner died, a hand-over or an evacuation) and is owned there at {@code epoch}.
 */
public record ChatLocated(String chatId, String instanceId, long epoch) {}
