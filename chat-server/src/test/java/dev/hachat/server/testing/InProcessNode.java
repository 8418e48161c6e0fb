package dev.hachat.server.testing;

import dev.hachat.server.cluster.Membership;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.ChatEngine;

/**
 * One chat-server instance reduced to its engine, its membership and its counters ({@link
 * TestNodes#node}): no port listens, and its heartbeats run only when a test ticks them.
 */
public record InProcessNode(String id, ChatEngine engine, Membership membership, Kpi kpi) {}
