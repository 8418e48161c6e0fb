package dev.hachat.gms.cometd.impl;

import org.cometd.bayeux.server.ServerMessage;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.websocket.common.AbstractWebSocketTransport;

/**
 * CometD's {@code websocket} transport on Vert.x server WebSockets: the Bayeux handling (sessions,
 * held {@code /meta/connect}, flushing the session queue) is CometD's own {@link
 * AbstractWebSocketTransport} and {@link
 * org.cometd.server.websocket.common.AbstractWebSocketEndPoint AbstractWebSocketEndPoint}; this
 * class only gives them their name and options, and {@link VertxWebSocketEndPoint} moves the text
 * frames.
 */
final class VertxWebSocketTransport extends AbstractWebSocketTransport {

  VertxWebSocketTransport(BayeuxServerImpl bayeux) {
    super(bayeux);
  }

  // Widened for the end point (it lives in another package than the CometD base class).
  @Override
  protected String toJSON(ServerMessage message) {
    return super.toJSON(message);
  }
}
