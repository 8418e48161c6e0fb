/**
 * Queues and push routing, free of I/O: {@link dev.hachat.interaction.routing.Router} decides which
 * agent each waiting chat is offered to, on one context, with timers from a {@link
 * dev.hachat.interaction.routing.Scheduler} (a hand-moved one in tests), and tells the rest through
 * {@link dev.hachat.interaction.routing.RouterEvents}.
 */
package dev.hachat.interaction.routing;
