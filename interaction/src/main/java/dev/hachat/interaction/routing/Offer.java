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
  long timer = -1;
  boolean accepting;

  Offer(String offerId, String agentId, ChatInfo chat, long expiresInMs) {
    this.offerId = offerId;
    this.agentId = agentId;
    this.chat = chat;
    this.expiresInMs = expiresInMs;
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

  /** How long the agent has to answer, from when it was made. */
  public long expiresInMs() {
    return expiresInMs;
  }
}
