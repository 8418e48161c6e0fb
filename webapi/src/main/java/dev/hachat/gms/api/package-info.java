/**
 * The GMS Chat API v2 operations as one transport-neutral service: the REST routes and the CometD
 * channel both call {@link dev.hachat.gms.api.ChatService} and send back the GMS-shaped JSON it
 * produces. Public: the transports and tests use it.
 */
package dev.hachat.gms.api;
