package dev.hachat.interaction.routing;

/** One queue as it is now: chats waiting and the longest wait among them. */
public record QueueView(String queue, int waiting, long longestWaitMs) {}
