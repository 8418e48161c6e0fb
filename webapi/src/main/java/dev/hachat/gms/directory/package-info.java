/**
 * The web API server's view of the chat-server instances, read from the shared instance registry:
 * which are alive (their heartbeat counter moves), which take new chats, how loaded they are.
 * Internal to the web API server.
 */
package dev.hachat.gms.directory;
