package dev.hachat.gms.cometd.impl;

import java.util.List;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.http.JSONHttpTransport;
import org.cometd.server.http.TransportContext;

/**
 * CometD's own {@code long-polling} transport ({@link JSONHttpTransport}), which also tells {@link
 * SlowClients} when a response's messages are written.
 */
final class LongPollingTransport extends JSONHttpTransport {

  LongPollingTransport(BayeuxServerImpl bayeux) {
    super(bayeux);
  }

  @Override
  protected void writeComplete(TransportContext context, List<ServerMessage> messages) {
    super.writeComplete(context, messages);
    SlowClients.written(context.session(), messages);
  }
}
