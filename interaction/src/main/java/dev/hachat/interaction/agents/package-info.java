/**
 * The agents at one interaction server: each one's {@code Desk} (its desktop's connection, the
 * chats it works on, its relay to the instances, a {@link dev.hachat.esp.client.FailoverEspClient}
 * logged in as the agent) and the agent API's frame names ({@link
 * dev.hachat.interaction.agents.AgentFrames}).
 */
package dev.hachat.interaction.agents;
