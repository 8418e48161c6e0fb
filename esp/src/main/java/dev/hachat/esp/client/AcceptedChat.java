package dev.hachat.esp.client;

import dev.hachat.store.Entry;
import java.util.List;

/**
 * A chat this agent joined (accept or observe).
 *
 * @param chatId the chat
 * @param participantId this agent's participant id in it
 * @param secureKey this agent's key for it (needed to {@code attach} after a reconnect)
 * @param entries the transcript so far
 * @param nextPosition the index to resume from
 */
public record AcceptedChat(
    String chatId,
    String participantId,
    String secureKey,
    List<Entry> entries,
    long nextPosition) {}
