/**
 * The CometD (Bayeux) endpoint of the GMS Chat API v2: widgets publish {@code data.operation} on
 * {@code /service/chatV2/{serviceName}} and receive the replies and the pushed transcript on the
 * same channel, over WebSocket or HTTP long-polling on the web API server's HTTP port.
 *
 * <p>Public: the web API server mounts {@link dev.hachat.gms.cometd.CometdEndpoint} on its router
 * with a {@link dev.hachat.gms.api.ChatService}; tests drive it with the CometD clients. Everything
 * in {@code impl} is private to this package.
 */
package dev.hachat.gms.cometd;
