package dev.hachat.gms.cometd.impl;

import static dev.hachat.gms.cometd.impl.GmsResponses.ended;
import static dev.hachat.gms.cometd.impl.GmsResponses.statusCode;

import dev.hachat.gms.api.ChatService;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the transcript feed of a client's chat ({@link ChatService#follow}) and pushes its updates
 * to the client, each message once ({@link ClientChats.Binding#dropDelivered}). A feed belongs to
 * one generation of its binding: once the binding stops or restarts its feed, or the client goes,
 * late updates and a late start are dropped (and the late feed cancelled).
 *
 * <p>Threading: confined to the endpoint's context; updates hop onto it.
 */
final class Feeds {

  private static final Logger LOG = LoggerFactory.getLogger(Feeds.class);

  private final Context context;
  private final ChatService chatService;
  private final Function<String, ClientChats> clients;
  private final Delivery delivery;

  /** {@code clients} gives a client's state when it still has one, else null. */
  Feeds(
      Context context,
      ChatService chatService,
      Function<String, ClientChats> clients,
      Delivery delivery) {
    this.context = context;
    this.chatService = chatService;
    this.clients = clients;
    this.delivery = delivery;
  }

  /** (Re)starts following {@code binding}'s chat from {@code position}. */
  void start(String clientId, String channel, ClientChats.Binding binding, long position) {
    binding.stopFeed();
    int generation = binding.feedGeneration;
    JsonObject params = binding.credentials.copy().put("transcriptPosition", position);
    Future<ChatService.Feed> feed;
    try {
      feed =
          chatService.follow(
              binding.serviceName,
              binding.chatId,
              params,
              update ->
                  Contexts.run(
                      context, () -> onUpdate(clientId, channel, binding, generation, update)));
    } catch (RuntimeException e) {
      feed = Future.failedFuture(e);
    }
    feed.onComplete(
        ar ->
            Contexts.run(
                context,
                () -> {
                  boolean current = isCurrent(clientId, binding, generation);
                  if (ar.failed()) {
                    failed(clientId, channel, binding, current, ar.cause());
                  } else if (current) {
                    binding.feed = ar.result();
                  } else {
                    ar.result().cancel(); // stopped, restarted or ended while it was starting
                  }
                }));
  }

  private void failed(
      String clientId,
      String channel,
      ClientChats.Binding binding,
      boolean current,
      Throwable cause) {
    LOG.warn("[cometd|{}] cannot follow chat {}: {}", clientId, binding.chatId, cause.toString());
    if (current) {
      // The cause stays in the log: it may name an internal address.
      String advice = "cannot follow the chat; send requestNotifications";
      delivery.push(
          clientId, channel, CometdError.INTERNAL.response(advice).put("chatId", binding.chatId));
    }
  }

  private void onUpdate(
      String clientId,
      String channel,
      ClientChats.Binding binding,
      int generation,
      JsonObject update) {
    if (!isCurrent(clientId, binding, generation)) {
      return;
    }
    JsonObject out = update.copy();
    if (!out.containsKey("chatId")) {
      out.put("chatId", binding.chatId);
    }
    if (binding.dropDelivered(out)) {
      delivery.push(clientId, channel, out);
    }
    if (statusCode(update) == 2 || ended(update)) {
      binding.stopFeed(); // the service ends the feed after this update
    }
  }

  private boolean isCurrent(String clientId, ClientChats.Binding binding, int generation) {
    ClientChats client = clients.apply(clientId);
    return client != null && client.isCurrent(binding) && binding.feedGeneration == generation;
  }
}
