/**
 * The command-line agent: answer chats from a terminal over the ESP port ({@code scripts/agent
 * --port N}). {@link dev.hachat.esp.cli.LoginOptions} and {@link dev.hachat.esp.cli.AgentConsole}
 * are shared with its interaction-server mode ({@code dev.hachat.interaction.cli}), which lives in
 * the interaction module because that module owns the agent API.
 */
package dev.hachat.esp.cli;
