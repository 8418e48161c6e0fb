/**
 * The command-line agent's interaction-server mode ({@code scripts/agent --interaction HOST:PORT}):
 * logs in to the agent API, goes Ready, and answers the chats offered to it from a terminal. It
 * shares its login options and its entry format with the ESP mode ({@link dev.hachat.esp.cli}). For
 * people and scripts; nothing else in this module uses it.
 */
package dev.hachat.interaction.cli;
