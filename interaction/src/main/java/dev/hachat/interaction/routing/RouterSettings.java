package dev.hachat.interaction.routing;

/**
 * How the {@link Router} behaves; {@code routing.*} in config/interaction.yaml.
 *
 * @param offerTimeoutMs how long an agent has to answer an offer
 * @param maxMissedOffers offers in a row an agent may let time out before it is set NotReady
 * @param afterCallWorkMs after-call work after a chat the agent closed; 0: Ready at once
 */
public record RouterSettings(long offerTimeoutMs, int maxMissedOffers, long afterCallWorkMs) {}
