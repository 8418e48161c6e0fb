package dev.hachat.interaction.routing;

/**
 * A chat offered to one agent. {@code accepting}: the agent said yes and the instance's accept is
 * under way, so the offer no longer times out. Mutable; owned by the {@link Router}'s context.
 */
public final class Offer {
  private final String offerId;
  private final String agentId;
  private final ChatInfo chat;
  private final long expiresInMs;
  private final long epoch;
  long timer = -1;
  boolean accepting;

  /** An offer as the router makes it, or as an agent's home server learns it from the router. */
  public Offer(String offerId, String agentId, ChatInfo chat, long expiresInMs, long epoch) {
    this.offerId = offerId;
    this.agentId = agentId;
    this.chat = chat;
    this.expiresInMs = expiresInMs;
    this.epoch = epoch;
  }

  public String offerId() {
    return offerId;
  }

  public String agentId() {
    return agentId;
  }

  public ChatInfo chat() {
    return chat;
  }

  /** The epoch of the routing lease it was made under (0: a single server). */
  public long epoch() {
    return epoch;
  }

  /** How long the agent has to answer, from when it was made. */
  public long expiresInMs() {
    return expiresInMs;
  }
}
