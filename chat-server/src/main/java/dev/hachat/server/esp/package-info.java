/**
 * The ESP port: the agent / interaction side of an instance, a JSON request/reply and event
 * protocol over WebSocket (docs/esp.md). A thin adapter over the session engine. Internal to the
 * chat server.
 */
package dev.hachat.server.esp;
