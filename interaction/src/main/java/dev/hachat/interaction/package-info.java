/**
 * The interaction server (docs/interaction.md): {@link dev.hachat.interaction.InteractionServer}
 * wires its links to the instances, the router and the desks on one context of their own ({@code
 * Switchboard}), and serves the agent API ({@code AgentConnection}), {@code /health}, {@code
 * /metrics}, {@code /status} and the dashboard ({@code IxnHttp}).
 */
package dev.hachat.interaction;
