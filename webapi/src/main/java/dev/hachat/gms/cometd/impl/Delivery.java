package dev.hachat.gms.cometd.impl;

import io.vertx.core.json.JsonObject;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerSession;

/**
 * Sends GMS responses to one Bayeux client on a chatV2 channel: into its CometD session queue, from
 * which CometD writes them on its held {@code /meta/connect} or its WebSocket. A client that is
 * gone is skipped. Thread-safe (CometD's session queue is).
 */
final class Delivery {

  private final BayeuxServer bayeux;

  Delivery(BayeuxServer bayeux) {
    this.bayeux = bayeux;
  }

  /** The reply to {@code operation} (null when the operation itself was missing). */
  void reply(String clientId, String channel, String operation, JsonObject result) {
    JsonObject out = result.copy();
    if (operation != null) {
      out.put("operation", operation);
    }
    push(clientId, channel, out);
  }

  /** A message the client did not ask for: the feed, a feed failure. */
  void push(String clientId, String channel, JsonObject data) {
    ServerSession session = bayeux.getSession(clientId);
    if (session != null) {
      session.deliver(null, channel, BayeuxJson.toBayeux(data), Promise.noop());
    }
  }
}
