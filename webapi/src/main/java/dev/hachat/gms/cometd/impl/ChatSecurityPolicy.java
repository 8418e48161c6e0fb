package dev.hachat.gms.cometd.impl;

import org.cometd.bayeux.ChannelId;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.server.DefaultSecurityPolicy;

/**
 * Remote clients may only use the chatV2 service channels: no other channel is created, published
 * to or subscribed to on their behalf, so one widget can never broadcast to another. (Subscribing
 * to a service channel, as GMS widgets do, is allowed and means nothing to the server.)
 */
final class ChatSecurityPolicy extends DefaultSecurityPolicy {

  @Override
  public boolean canCreate(
      BayeuxServer server,
      org.cometd.bayeux.server.ServerSession session,
      String channelId,
      ServerMessage message) {
    return isLocal(session) || isChatChannel(channelId);
  }

  @Override
  public boolean canPublish(
      BayeuxServer server,
      org.cometd.bayeux.server.ServerSession session,
      ServerChannel channel,
      ServerMessage message) {
    return super.canPublish(server, session, channel, message)
        && (isLocal(session) || isChatChannel(channel.getId()));
  }

  @Override
  public boolean canSubscribe(
      BayeuxServer server,
      org.cometd.bayeux.server.ServerSession session,
      ServerChannel channel,
      ServerMessage message) {
    return isLocal(session) || isChatChannel(channel.getId());
  }

  private static boolean isLocal(org.cometd.bayeux.server.ServerSession session) {
    return session != null && session.isLocalSession();
  }

  static boolean isChatChannel(String channelId) {
    return channelId.startsWith(ChatChannelService.CHANNEL_PREFIX)
        && channelId.length() > ChatChannelService.CHANNEL_PREFIX.length()
        && channelId.indexOf('/', ChatChannelService.CHANNEL_PREFIX.length()) < 0
        && !ChannelId.isMeta(channelId)
        && !channelId.contains("*");
  }
}
