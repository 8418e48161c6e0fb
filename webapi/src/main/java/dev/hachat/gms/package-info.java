/**
 * The web API server: a stateless process in front of the chat-server instances that speaks the GMS
 * Chat API v2 (REST and CometD) to web chat widgets, picks an instance for each new chat, routes
 * every later request to the chat's owner and hides an instance's death from the customer. {@link
 * dev.hachat.gms.GmsServer} starts one; {@link dev.hachat.gms.Main} is the process.
 */
package dev.hachat.gms;
