package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.api.core.config.ProgrammaticDriverConfigLoaderBuilder;
import dev.hachat.store.CassandraStoreOptions;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Builds a driver session from {@link CassandraStoreOptions}. */
final class CqlSessions {
  private CqlSessions() {}

  static CompletionStage<CqlSession> connect(CassandraStoreOptions o, boolean withKeyspace) {
    return connect(o, withKeyspace, false);
  }

  /**
   * A session; {@code throttled}: at most {@code max-concurrent-requests} in flight, then up to
   * {@code max-queued-requests} waiting (the driver's own throttler), for the chat requests, so
   * that an unthrottled session's heartbeats meet short queues at the nodes.
   */
  static CompletionStage<CqlSession> connect(
      CassandraStoreOptions o, boolean withKeyspace, boolean throttled) {
    ProgrammaticDriverConfigLoaderBuilder builder = DriverConfigLoader.programmaticBuilder();
    if (throttled) {
      builder
          .withString(
              DefaultDriverOption.REQUEST_THROTTLER_CLASS, "ConcurrencyLimitingRequestThrottler")
          .withInt(
              DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS,
              o.getMaxConcurrentRequests())
          .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE, o.getMaxQueuedRequests());
    }
    DriverConfigLoader config =
        builder
            .withDuration(
                DefaultDriverOption.REQUEST_TIMEOUT, Duration.ofMillis(o.getRequestTimeout()))
            .withString(DefaultDriverOption.REQUEST_CONSISTENCY, o.getConsistency())
            .withString(DefaultDriverOption.REQUEST_SERIAL_CONSISTENCY, o.getSerialConsistency())
            .withDuration(DefaultDriverOption.METADATA_SCHEMA_WINDOW, Duration.ofMillis(50))
            .withDuration(
                DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(10))
            .withDuration(DefaultDriverOption.RECONNECTION_BASE_DELAY, Duration.ofMillis(200))
            .withDuration(DefaultDriverOption.RECONNECTION_MAX_DELAY, Duration.ofSeconds(2))
            // An idempotent request (reads, saves, heartbeats) still unanswered after 100 ms also
            // goes to another node: a node that just died must not eat a heartbeat round.
            .withString(
                DefaultDriverOption.SPECULATIVE_EXECUTION_POLICY_CLASS,
                "ConstantSpeculativeExecutionPolicy")
            .withInt(DefaultDriverOption.SPECULATIVE_EXECUTION_MAX, 2)
            .withDuration(DefaultDriverOption.SPECULATIVE_EXECUTION_DELAY, Duration.ofMillis(100))
            .withBoolean(DefaultDriverOption.REQUEST_WARN_IF_SET_KEYSPACE, false)
            // Cells of plain writes are timestamped by the coordinator, not by this process's
            // wall clock: a restart under the same id on a host whose clock is behind, or a clock
            // stepped back, must not have its writes lose to its own older ones (docs/
            // consistency.md, "Clocks"). LWTs are timestamped by their Paxos ballot anyway.
            .withString(
                DefaultDriverOption.TIMESTAMP_GENERATOR_CLASS, "ServerSideTimestampGenerator")
            .build();
    CqlSessionBuilder b =
        (o.getLocalAddress().isEmpty()
                ? CqlSession.builder()
                : new LocalAddressSessionBuilder(o.getLocalAddress()))
            .withConfigLoader(config)
            .withLocalDatacenter(o.getLocalDatacenter());
    for (String cp : o.getContactPoints()) {
      int colon = cp.lastIndexOf(':');
      b.addContactPoint(
          new InetSocketAddress(cp.substring(0, colon), Integer.parseInt(cp.substring(colon + 1))));
    }
    if (!o.getUsername().isEmpty()) {
      b.withAuthCredentials(o.getUsername(), o.getPassword());
    }
    if (CqlTls.enabled(o)) {
      try {
        b.withSslEngineFactory(CqlTls.engineFactory(o));
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }
    if (withKeyspace) {
      b.withKeyspace(o.getKeyspace());
    }
    CompletableFuture<CqlSession> session = new CompletableFuture<>();
    b.buildAsync()
        .whenComplete(
            (s, e) -> {
              if (e == null) {
                session.complete(s);
              } else {
                session.completeExceptionally(CqlTls.explain(e, o));
              }
            });
    return session;
  }
}
