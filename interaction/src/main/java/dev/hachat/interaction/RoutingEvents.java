package dev.hachat.interaction;

import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.Offer;
import dev.hachat.interaction.routing.RouterEvents;
import java.util.function.Supplier;

/**
 * The router's decisions, sent to each agent's home ({@link RoutingRole}) and counted. On the
 * router's context.
 */
final class RoutingEvents implements RouterEvents {
  private final Supplier<RoutingRole> role;
  private final IxnMetrics metrics;

  RoutingEvents(Supplier<RoutingRole> role, IxnMetrics metrics) {
    this.role = role;
    this.metrics = metrics;
  }

  @Override
  public void offer(Offer offer) {
    role.get().offer(offer);
  }

  @Override
  public void revoked(Offer offer, String reason) {
    role.get().revoked(offer, reason);
  }

  @Override
  public void stateChanged(String agentId, AgentState state, String reason) {
    role.get().stateChanged(agentId, state, reason);
  }

  @Override
  public void queued(String queue) {
    metrics.queued(queue);
  }

  @Override
  public void offered(String queue) {
    metrics.offers(queue, "offered");
  }

  @Override
  public void accepted(String queue, long waitedMs) {
    metrics.offers(queue, "accepted");
    metrics.answered(queue, waitedMs);
  }

  @Override
  public void rejected(String queue) {
    metrics.offers(queue, "rejected");
  }

  @Override
  public void timedOut(String queue) {
    metrics.offers(queue, "timed_out");
  }

  @Override
  public void abandoned(String queue, long waitedMs) {
    metrics.abandoned(queue);
  }

  @Override
  public void stateTime(AgentState state, long millis) {
    metrics.stateTime(state, millis);
  }
}
