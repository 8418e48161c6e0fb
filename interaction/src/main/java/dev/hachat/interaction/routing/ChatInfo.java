package dev.hachat.interaction.routing;

import java.util.Map;

/**
 * What the interaction server knows of a waiting chat: its summary as an instance announced it, the
 * queue it waits in, and where it lives.
 *
 * @param chatId the chat
 * @param queue its queue (the chat service it was requested on)
 * @param customer the customer's nickname
 * @param subject its subject
 * @param userData its user data
 * @param createdAt milliseconds since the epoch, UTC (when the customer asked)
 * @param instanceId the instance that owns it
 * @param esp that instance's ESP address ({@code host:port})
 */
public record ChatInfo(
    String chatId,
    String queue,
    String customer,
    String subject,
    Map<String, String> userData,
    long createdAt,
    String instanceId,
    String esp) {}
