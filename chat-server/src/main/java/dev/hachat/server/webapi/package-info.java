/**
 * The webapi port: the customer-side HTTP/JSON API and WebSocket push stream of one instance
 * (documented in docs/webapi-port.md). A thin adapter over the session engine. Internal to the chat
 * server.
 */
package dev.hachat.server.webapi;
