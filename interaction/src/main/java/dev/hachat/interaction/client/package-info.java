/**
 * The Java client of the agent API ({@link dev.hachat.interaction.client.AgentApiClient},
 * docs/agent-api.md), for desktops, the command-line agent and tests.
 */
package dev.hachat.interaction.client;
