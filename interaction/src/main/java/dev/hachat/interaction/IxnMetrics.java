package dev.hachat.interaction;

import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.QueueView;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * The interaction server's Prometheus metrics (docs/metrics.md, "Interaction server"): per queue
 * the chats waiting, the longest wait, offers by outcome, abandons and the time to answer; per
 * state the agents in it and the time they spent in it; the instances connected.
 *
 * <p>Threading: counters and timers are thread-safe; the gauges read a snapshot the switchboard
 * publishes ({@link #publish}) through volatile fields.
 */
final class IxnMetrics {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Set<String> queuesSeen = ConcurrentHashMap.newKeySet();
  private volatile Map<String, QueueView> queues = Map.of();
  private volatile List<AgentView> agents = List.of();
  private final Counter loginTimeouts;
  private final Counter takeovers;
  private volatile boolean routing;

  IxnMetrics(IntSupplier instancesConnected) {
    Gauge.builder("hachat_ixn_instances_connected", instancesConnected::getAsInt)
        .description("chat-server instances this interaction server is connected to")
        .register(registry);
    for (AgentState s : AgentState.values()) {
      Gauge.builder(
              "hachat_ixn_agents",
              () -> agents.stream().filter(a -> a.online() && a.state() == s).count())
          .tag("state", s.wireName())
          .description("agents connected, by state")
          .register(registry);
    }
    Gauge.builder("hachat_ixn_routing", () -> routing ? 1 : 0)
        .description("1 while this interaction server holds the routing lease and makes the offers")
        .register(registry);
    takeovers =
        Counter.builder("hachat_ixn_router_elected_total")
            .description("times this interaction server became the router")
            .register(registry);
    loginTimeouts =
        Counter.builder("hachat_ixn_login_timeouts_total")
            .description("agent connections closed 4001: no login within security.login-timeout")
            .register(registry);
  }

  /** This server routes now, or no more. */
  void routing(boolean now) {
    if (now && !routing) {
      takeovers.increment();
    }
    routing = now;
  }

  /** True while this server routes (as last set). */
  boolean routing() {
    return routing;
  }

  /** The latest view of the queues and agents, for the gauges. */
  void publish(List<QueueView> queueViews, List<AgentView> agentViews) {
    Map<String, QueueView> byName = new ConcurrentHashMap<>();
    for (QueueView q : queueViews) {
      byName.put(q.queue(), q);
      queue(q.queue());
    }
    queues = byName;
    agents = List.copyOf(agentViews);
  }

  private void queue(String name) {
    if (queuesSeen.add(name)) {
      Gauge.builder("hachat_ixn_queue_waiting", () -> view(name).waiting())
          .tag("queue", name)
          .description("chats waiting in the queue")
          .register(registry);
      Gauge.builder(
              "hachat_ixn_queue_longest_wait_seconds", () -> view(name).longestWaitMs() / 1000.0)
          .tag("queue", name)
          .description("how long the oldest chat in the queue has waited")
          .register(registry);
    }
  }

  private QueueView view(String name) {
    return queues.getOrDefault(name, new QueueView(name, 0, 0));
  }

  void offers(String queue, String outcome) {
    queue(queue);
    registry.counter("hachat_ixn_offers_total", "queue", queue, "outcome", outcome).increment();
  }

  void queued(String queue) {
    queue(queue);
    registry.counter("hachat_ixn_chats_queued_total", "queue", queue).increment();
  }

  void abandoned(String queue) {
    registry.counter("hachat_ixn_chats_abandoned_total", "queue", queue).increment();
  }

  void answered(String queue, long waitedMs) {
    Timer.builder("hachat_ixn_time_to_answer")
        .tag("queue", queue)
        .description("from queued to accepted by an agent")
        .publishPercentileHistogram()
        .register(registry)
        .record(Duration.ofMillis(waitedMs));
  }

  void stateTime(AgentState state, long millis) {
    registry
        .counter("hachat_ixn_agent_state_seconds_total", "state", state.wireName())
        .increment(millis / 1000.0);
  }

  void loginTimeout() {
    loginTimeouts.increment();
  }

  String scrape() {
    return registry.scrape();
  }
}
