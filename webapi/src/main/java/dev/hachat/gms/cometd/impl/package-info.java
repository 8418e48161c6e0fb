/**
 * The CometD endpoint's machinery: a CometD {@code BayeuxServerImpl} fed by two Vert.x transports
 * (long-polling through CometD's own {@code JSONHttpTransport}, WebSocket through its {@code
 * AbstractWebSocketEndPoint}) and the chatV2 channel service that maps operations onto {@link
 * dev.hachat.gms.api.ChatService}. Private to {@code dev.hachat.gms.cometd}; nothing outside may
 * use it.
 */
package dev.hachat.gms.cometd.impl;
