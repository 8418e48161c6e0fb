/**
 * Getting a request to the instance that owns a chat (or to one that restores it) and back: calls
 * to an instance's webapi port, owner hints, redirects ({@code NOT_OWNER}) and retries across
 * instances until a failover deadline. Internal to the web API server.
 */
package dev.hachat.gms.routing;
