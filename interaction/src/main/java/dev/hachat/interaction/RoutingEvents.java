package dev.hachat.interaction;

import static dev.hachat.interaction.agents.AgentFrames.*;

import dev.hachat.interaction.agents.Desks;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.Offer;
import dev.hachat.interaction.routing.RouterEvents;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/** The router's decisions, sent to the agents' desktops and counted. On the router's context. */
final class RoutingEvents implements RouterEvents {
  private final Supplier<Desks> desks;
  private final IxnMetrics metrics;

  RoutingEvents(Supplier<Desks> desks, IxnMetrics metrics) {
    this.desks = desks;
    this.metrics = metrics;
  }

  @Override
  public void offer(Offer offer) {
    desks.get().event(offer.agentId(), EVENT_OFFER, Switchboard.offerJson(offer));
  }

  @Override
  public void revoked(Offer offer, String reason) {
    desks
        .get()
        .event(
            offer.agentId(),
            EVENT_OFFER_REVOKED,
            new JsonObject()
                .put("offerId", offer.offerId())
                .put("chatId", offer.chat().chatId())
                .put("reason", reason));
  }

  @Override
  public void stateChanged(String agentId, AgentState state, String reason) {
    desks
        .get()
        .event(
            agentId,
            EVENT_STATE,
            new JsonObject().put("state", state.wireName()).put("reason", reason));
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
