package dev.hachat.gms.cometd.impl;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The CometD endpoint's limit counters, on the web API server's {@code /metrics} (docs/metrics.md,
 * "Web API servers"). Thread-safe (Micrometer meters are).
 */
final class CometdKpi {
  private final Counter chatCapRefused;
  private final Counter firstMessageTimeouts;
  private final Counter slowByMessages;
  private final Counter slowByBytes;

  CometdKpi(MeterRegistry registry) {
    // The same name as the web API server's other rate limits, told apart by the limit tag.
    this.chatCapRefused =
        Counter.builder("hachat.webapi.rate.limited")
            .description("Requests refused by a rate limit (RATE_LIMITED)")
            .tag("limit", "chats-per-cometd-client")
            .register(registry);
    this.firstMessageTimeouts =
        Counter.builder("hachat.webapi.cometd.first.message.timeouts")
            .description("Bayeux WebSockets closed 4001: no handshake within the timeout")
            .register(registry);
    this.slowByMessages = slowClients(registry, "max-queue");
    this.slowByBytes = slowClients(registry, "max-queued-bytes");
  }

  private static Counter slowClients(MeterRegistry registry, String limit) {
    return Counter.builder("hachat.webapi.cometd.slow.clients")
        .description("Bayeux clients disconnected as slow: cometd.max-queue or max-queued-bytes")
        .tag("limit", limit)
        .register(registry);
  }

  /** A requestChat was refused: the client holds edge.max-chats-per-cometd-client chats. */
  void chatCapRefused() {
    chatCapRefused.increment();
  }

  /** A Bayeux WebSocket was closed 4001 at cometd.first-message-timeout-ms. */
  void firstMessageTimeout() {
    firstMessageTimeouts.increment();
  }

  /** A Bayeux client was disconnected as slow (cometd.max-queue or cometd.max-queued-bytes). */
  void slowClient(SlowClients.Limit limit) {
    (limit == SlowClients.Limit.BYTES ? slowByBytes : slowByMessages).increment();
  }
}
