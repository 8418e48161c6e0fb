package dev.hachat.gms.cometd.impl;

import static dev.hachat.gms.cometd.impl.GmsResponses.ended;
import static dev.hachat.gms.cometd.impl.GmsResponses.nextPosition;
import static dev.hachat.gms.cometd.impl.GmsResponses.ok;
import static dev.hachat.gms.cometd.impl.GmsResponses.position;
import static dev.hachat.gms.cometd.impl.GmsResponses.statusCode;

import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.api.Operation;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.cometd.bayeux.server.BayeuxServer;
import org.cometd.bayeux.server.ServerChannel;
import org.cometd.bayeux.server.ServerMessage;
import org.cometd.bayeux.server.ServerSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GMS channel {@code /service/chatV2/{serviceName}}: turns each published {@code
 * data.operation} into a {@link ChatService} call, delivers the result to the publishing client on
 * the same channel with the {@code operation} it answers, and pushes the transcript feed of the
 * client's chats there.
 *
 * <p>Feeds: a successful {@code requestChat} starts following the chat from the reply's {@code
 * nextPosition}; {@code requestNotifications} stops the feed, reads the transcript from {@code
 * transcriptPosition} (the reply) and follows on from the reply's {@code nextPosition}, so every
 * message reaches the client once, in order, in a reply or a push. While a chat is followed,
 * replies to the other operations carry no {@code messages}: the feed delivers them. {@code
 * disconnect} stops the feed after its reply, and so does the removal of the Bayeux session.
 *
 * <p>Threading: CometD calls {@link #onMessage} and the session listener on its threads; they hop
 * onto the endpoint's context, where all the per-client state lives ({@link ClientChats}). Chat
 * service results hop there too.
 */
final class ChatChannelService
    implements ServerChannel.MessageListener, BayeuxServer.SessionListener {

  static final String CHANNEL_PREFIX = "/service/chatV2/";
  static final String CHANNEL_PATTERN = CHANNEL_PREFIX + "*";
  static final String REQUEST_CHAT = "requestChat";

  private static final Logger LOG = LoggerFactory.getLogger(ChatChannelService.class);

  private final Context context;
  private final ChatService chatService;
  private final BayeuxServer bayeux;
  private final Delivery delivery;
  private final Feeds feeds;
  private final Map<String, ClientChats> clients = new HashMap<>();
  private final java.util.Set<String> trustedProxies;
  private final int maxChatsPerClient;
  private final Runnable capRefused;

  /** {@code capRefused} is told of each requestChat refused for the per-client cap (a KPI). */
  ChatChannelService(
      Context context,
      ChatService chatService,
      BayeuxServer bayeux,
      java.util.Collection<String> trustedProxies,
      int maxChatsPerClient,
      Runnable capRefused) {
    this.trustedProxies = java.util.Set.copyOf(trustedProxies);
    this.maxChatsPerClient = maxChatsPerClient;
    this.capRefused = capRefused;
    this.context = context;
    this.chatService = chatService;
    this.bayeux = bayeux;
    this.delivery = new Delivery(bayeux);
    this.feeds = new Feeds(context, chatService, clients::get, delivery);
  }

  // ---- CometD callbacks (CometD threads or an event loop)

  @Override
  public boolean onMessage(ServerSession sender, ServerChannel channel, ServerMessage.Mutable msg) {
    if (sender == null || sender.isLocalSession()) {
      return true;
    }
    String channelName = msg.getChannel();
    String serviceName = channelName.substring(CHANNEL_PREFIX.length());
    JsonObject data = BayeuxJson.fromBayeux(msg.getData());
    String clientId = sender.getId();
    String address = addressOf(msg);
    onContext(() -> handle(clientId, address, channelName, serviceName, data));
    return true;
  }

  @Override
  public void sessionAdded(ServerSession session, ServerMessage message) {
    // nothing: a client's state is made on its first operation (slow clients: SlowClients)
  }

  @Override
  public void sessionRemoved(ServerSession session, ServerMessage message, boolean timeout) {
    String clientId = session.getId();
    onContext(
        () -> {
          ClientChats chats = clients.remove(clientId);
          if (chats != null) {
            LOG.debug("[cometd|{}] session removed (timeout={}), feeds stopped", clientId, timeout);
            chats.clear();
          }
        });
  }

  // ---- on the endpoint context

  /** Number of running feeds (for tests and KPIs). */
  Future<Integer> feedCount() {
    Promise<Integer> promise = Promise.promise();
    onContext(
        () -> promise.complete(clients.values().stream().mapToInt(ClientChats::feedCount).sum()));
    return promise.future();
  }

  /** Stops every feed and forgets every client. */
  Future<Void> close() {
    Promise<Void> promise = Promise.promise();
    onContext(
        () -> {
          clients.values().forEach(ClientChats::clear);
          clients.clear();
          promise.complete();
        });
    return promise.future();
  }

  private String addressOf(ServerMessage msg) {
    org.cometd.bayeux.server.BayeuxContext c = msg.getBayeuxContext();
    java.net.SocketAddress a = c == null ? null : c.getRemoteAddress();
    // VertxBayeuxContext keeps the peer unresolved (no lookup): its host string is the address.
    String peer =
        a instanceof java.net.InetSocketAddress inet
            ? (inet.getAddress() != null
                ? inet.getAddress().getHostAddress()
                : inet.getHostString())
            : null;
    if (peer == null) {
      return null;
    }
    List<String> forwarded = c.getHeaderValues(dev.hachat.common.limit.ClientAddress.FORWARDED_FOR);
    return dev.hachat.common.limit.ClientAddress.of(
        peer, forwarded == null ? List.of() : forwarded, trustedProxies);
  }

  private void handle(
      String clientId, String address, String channel, String serviceName, JsonObject data) {
    if (data == null) {
      delivery.reply(
          clientId,
          channel,
          null,
          CometdError.BAD_REQUEST.response("data must be an object with an operation"));
      return;
    }
    Object opValue = data.getValue("operation");
    if (!(opValue instanceof String opName) || opName.isEmpty()) {
      delivery.reply(
          clientId, channel, null, CometdError.BAD_REQUEST.response("missing operation"));
      return;
    }
    JsonObject params = data.copy();
    params.remove("operation");
    if (REQUEST_CHAT.equals(opName)) {
      requestChat(clientId, address, channel, serviceName, params);
      return;
    }
    Optional<Operation> op = Operation.fromCometd(opName);
    if (op.isEmpty()) {
      delivery.reply(
          clientId,
          channel,
          opName,
          CometdError.BAD_REQUEST.response("unknown operation: " + opName));
      return;
    }
    operate(clientId, channel, serviceName, opName, op.get(), params);
  }

  private void requestChat(
      String clientId, String address, String channel, String service, JsonObject params) {
    ClientChats held = clients.get(clientId);
    if (held != null && held.openChats() >= maxChatsPerClient) {
      capRefused.run();
      delivery.reply(
          clientId,
          channel,
          REQUEST_CHAT,
          dev.hachat.gms.service.GmsErrors.response(
              new dev.hachat.common.error.ChatException(
                  dev.hachat.common.error.ErrorCode.RATE_LIMITED,
                  "this client has "
                      + maxChatsPerClient
                      + " open chats already; end one before requesting another")));
      return;
    }
    whenDone(
        chatService.requestChat(service, address, params),
        ar -> {
          JsonObject result = resultOf(ar, clientId, REQUEST_CHAT);
          delivery.reply(clientId, channel, REQUEST_CHAT, result);
          Object chatId = result.getValue("chatId");
          ClientChats client = client(clientId);
          if (!ok(result) || chatId == null || client == null) {
            return;
          }
          ClientChats.Binding binding = client.bind(service, String.valueOf(chatId));
          binding.remember(params);
          binding.remember(result);
          binding.nextIndex = nextPosition(result, 1);
          if (!ended(result)) {
            feeds.start(clientId, channel, binding, nextPosition(result, 1));
          }
        });
  }

  private void operate(
      String clientId,
      String channel,
      String service,
      String opName,
      Operation op,
      JsonObject params) {
    ClientChats client = client(clientId);
    if (client == null) {
      return;
    }
    Object idValue = params.getValue("chatId");
    if (idValue != null && !(idValue instanceof String)) {
      delivery.reply(
          clientId, channel, opName, CometdError.BAD_REQUEST.response("chatId must be a string"));
      return;
    }
    String chatId = idValue != null ? (String) idValue : client.chatIdFor(service);
    if (chatId == null) {
      delivery.reply(
          clientId,
          channel,
          opName,
          CometdError.BAD_REQUEST.response(
              "no chat on this session: requestChat first, or give chatId, userId, alias and"
                  + " secureKey"));
      return;
    }
    ClientChats.Binding known = client.binding(chatId);
    JsonObject merged = known == null ? params.copy() : known.credentials.copy().mergeIn(params);
    merged.remove("chatId");
    if (op == Operation.REFRESH) {
      refresh(clientId, channel, service, chatId, known, merged);
      return;
    }
    whenDone(
        chatService.perform(service, chatId, op, merged),
        ar -> {
          JsonObject result = resultOf(ar, clientId, opName);
          ClientChats now = clients.get(clientId);
          ClientChats.Binding binding = now == null ? null : now.binding(chatId);
          JsonObject out = result.copy();
          if (binding != null) {
            if (binding.following() && op != Operation.DISCONNECT) {
              out.remove("messages"); // the feed delivers them
              out.remove("nextPosition");
            } else {
              binding.dropDelivered(out); // no feed (or it stops now): the reply carries them
            }
          }
          if (params.getValue("messageId") instanceof String messageId) {
            out.put("messageId", messageId); // tells pipelined sends' replies apart
          }
          delivery.reply(clientId, channel, opName, out);
          if (op == Operation.DISCONNECT && binding != null && statusCode(result) != 1) {
            now.unbind(binding);
          }
        });
  }

  private void refresh(
      String clientId,
      String channel,
      String service,
      String chatId,
      ClientChats.Binding known,
      JsonObject params) {
    String opName = Operation.REFRESH.cometdName();
    Long position;
    try {
      position = position(params.getValue("transcriptPosition"));
    } catch (IllegalArgumentException e) {
      delivery.reply(clientId, channel, opName, CometdError.BAD_REQUEST.response(e.getMessage()));
      return;
    }
    if (position == null) {
      delivery.reply(
          clientId,
          channel,
          opName,
          CometdError.BAD_REQUEST.response("missing transcriptPosition"));
      return;
    }
    params.put("transcriptPosition", position);
    if (known != null) {
      known.stopFeed();
    }
    whenDone(
        chatService.perform(service, chatId, Operation.REFRESH, params),
        ar -> {
          JsonObject result = resultOf(ar, clientId, opName);
          delivery.reply(clientId, channel, opName, result);
          ClientChats client = client(clientId);
          if (!ok(result) || client == null) {
            return;
          }
          ClientChats.Binding binding = client.bind(service, chatId);
          binding.remember(params);
          binding.nextIndex = nextPosition(result, position);
          if (!ended(result)) {
            feeds.start(clientId, channel, binding, nextPosition(result, position));
          }
        });
  }

  /** The client's state, created on first use while its Bayeux session exists; else null. */
  private ClientChats client(String clientId) {
    ClientChats client = clients.get(clientId);
    if (client == null && bayeux.getSession(clientId) != null) {
      client = new ClientChats();
      clients.put(clientId, client);
    }
    return client;
  }

  private static JsonObject resultOf(AsyncResult<JsonObject> ar, String clientId, String op) {
    if (ar.succeeded() && ar.result() != null) {
      return ar.result();
    }
    LOG.warn("[cometd|{}] chat service failed {}: {}", clientId, op, ar.cause());
    return CometdError.INTERNAL.response("the chat service failed; retry");
  }

  private <T> void whenDone(Future<T> future, Handler<AsyncResult<T>> handler) {
    future.onComplete(ar -> onContext(() -> handler.handle(ar)));
  }

  private void onContext(Runnable task) {
    Contexts.run(context, task);
  }
}
