/**
 * The instance's own customer API, served on its webapi port (named after the Genesys option; not
 * to be confused with the {@code webapi} module, the web API server that speaks to it): the
 * customer-side HTTP/JSON API and WebSocket push stream of one instance (documented in
 * docs/webapi-port.md). A thin adapter over the session engine. Internal to the chat server.
 */
package dev.hachat.server.instanceapi;
