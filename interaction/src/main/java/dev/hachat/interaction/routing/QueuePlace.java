package dev.hachat.interaction.routing;

/**
 * A queued chat's place in its queue (1 is next), for the position notices its customer gets.
 *
 * @param queuedAt when the router first saw it waiting (its monotonic clock, milliseconds)
 */
public record QueuePlace(
    String chatId, String queue, String instanceId, int place, long queuedAt) {}
