package dev.hachat.gms.cometd.impl;

import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.cometd.CometdEndpoint;
import dev.hachat.gms.cometd.CometdOptions;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.cometd.bayeux.Promise;
import org.cometd.bayeux.server.ServerSession;
import org.cometd.bayeux.server.ServerTransport;
import org.cometd.server.AbstractServerTransport;
import org.cometd.server.BayeuxServerImpl;
import org.cometd.server.JacksonJSONContextServer;
import org.cometd.server.ServerSessionImpl;
import org.cometd.server.http.AbstractHttpTransport;
import org.cometd.server.http.JSONHttpTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CometD {@link BayeuxServerImpl} behind Vert.x Web routes. Long-polling POSTs go to CometD's own
 * {@link JSONHttpTransport} through an {@link HttpExchange}; WebSocket upgrades become {@link
 * VertxWebSocketEndPoint}s of a {@link VertxWebSocketTransport}. The chatV2 channel is served by a
 * {@link ChatChannelService}; {@link SlowClients} disconnects clients that let too much wait.
 *
 * <p>Threading: Vert.x handlers run on the request's event loop and never block: request bodies are
 * read asynchronously (bounded by {@code maxMessageSize}), and CometD's processing of a message is
 * non-blocking. CometD's own pools run its timers (held {@code /meta/connect}, session sweeps) and
 * WebSocket flushes; they reach Vert.x objects only by hopping onto their context. Stopping the
 * Bayeux server joins its threads, so {@link #close} does it off the event loop.
 */
public final class CometdEndpointImpl implements CometdEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(CometdEndpointImpl.class);

  private final Vertx vertx;
  private final CometdOptions options;
  private final BayeuxServerImpl bayeux = new BayeuxServerImpl();
  private final ChatChannelService chatChannel;
  private final VertxWebSocketTransport webSocketTransport;
  private final CometdKpi kpi;

  public CometdEndpointImpl(
      Vertx vertx,
      ChatService chatService,
      CometdOptions options,
      dev.hachat.gms.config.EdgeOptions edge,
      MeterRegistry metrics) {
    this.vertx = vertx;
    this.kpi = new CometdKpi(metrics);
    this.options = new CometdOptions(options);
    Context context = vertx.getOrCreateContext();
    bayeux.setOption(AbstractServerTransport.JSON_CONTEXT_OPTION, new JacksonJSONContextServer());
    bayeux.setOption(AbstractServerTransport.TIMEOUT_OPTION, this.options.getTimeoutMs());
    bayeux.setOption(AbstractServerTransport.INTERVAL_OPTION, this.options.getIntervalMs());
    bayeux.setOption(AbstractServerTransport.MAX_INTERVAL_OPTION, this.options.getMaxIntervalMs());
    bayeux.setOption(AbstractServerTransport.MAX_QUEUE_OPTION, this.options.getMaxQueue());
    bayeux.setOption(
        AbstractServerTransport.MAX_MESSAGE_SIZE_OPTION, this.options.getMaxMessageSize());
    bayeux.setSecurityPolicy(new ChatSecurityPolicy());

    List<ServerTransport> transports = new ArrayList<>();
    List<String> allowed = new ArrayList<>();
    if (this.options.isWebSocketEnabled()) {
      webSocketTransport = new VertxWebSocketTransport(bayeux);
      transports.add(webSocketTransport);
      allowed.add(webSocketTransport.getName());
    } else {
      webSocketTransport = null;
    }
    JSONHttpTransport longPolling = new LongPollingTransport(bayeux);
    transports.add(longPolling);
    allowed.add(longPolling.getName());
    bayeux.setTransports(transports);
    bayeux.setAllowedTransports(allowed);

    chatChannel =
        new ChatChannelService(
            context,
            chatService,
            bayeux,
            edge.getTrustedProxies(),
            edge.getMaxChatsPerCometdClient(),
            kpi::chatCapRefused);
    bayeux.addListener(chatChannel);
    bayeux.addListener(new SlowClients(context, this.options.getMaxQueuedBytes(), kpi::slowClient));
    try {
      bayeux.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the Bayeux server", e);
    }
    bayeux.createChannelIfAbsent(
        ChatChannelService.CHANNEL_PATTERN,
        channel -> {
          channel.setPersistent(true);
          channel.addListener(chatChannel);
        });
    LOG.info("CometD endpoint ready at {} (transports {})", this.options.getPath(), allowed);
  }

  @Override
  public CometdEndpoint mount(Router router) {
    String path = options.getPath();
    router.route(path).handler(this::handle);
    router.route(path + "/*").handler(this::handle);
    return this;
  }

  @Override
  public int sessionCount() {
    return bayeux.getSessions().size();
  }

  /** Number of chat feeds running for Bayeux clients (tests). */
  public Future<Integer> feedCount() {
    return chatChannel.feedCount();
  }

  @Override
  public Future<Void> close() {
    return chatChannel
        .close()
        .compose(
            v ->
                vertx.executeBlocking(
                    () -> {
                      for (ServerSession session : bayeux.getSessions()) {
                        ((ServerSessionImpl) session).destroyScheduler();
                      }
                      bayeux.stop();
                      return null;
                    },
                    false));
  }

  private void handle(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    if (isWebSocketUpgrade(request)) {
      upgrade(request);
    } else if (request.method() == HttpMethod.OPTIONS) {
      rc.response().end(); // CORS preflight of long-polling clients
    } else if (request.method() == HttpMethod.POST) {
      longPoll(rc);
    } else {
      rc.response().setStatusCode(400).end("Unknown Bayeux transport");
    }
  }

  private boolean isWebSocketUpgrade(HttpServerRequest request) {
    String upgrade = request.getHeader("Upgrade");
    return request.method() == HttpMethod.GET && "websocket".equalsIgnoreCase(upgrade);
  }

  private void upgrade(HttpServerRequest request) {
    if (webSocketTransport == null) {
      request.response().setStatusCode(400).end("WebSocket transport disabled");
      return;
    }
    VertxBayeuxContext bayeuxContext = new VertxBayeuxContext(request);
    request
        .toWebSocket()
        .onSuccess(
            socket ->
                new VertxWebSocketEndPoint(
                        webSocketTransport,
                        bayeuxContext,
                        vertx.getOrCreateContext(),
                        socket,
                        options.getMaxMessageSize(),
                        options.getFirstMessageTimeoutMs(),
                        kpi::firstMessageTimeout)
                    .start())
        .onFailure(e -> LOG.debug("CometD WebSocket upgrade failed", e));
  }

  private void longPoll(RoutingContext rc) {
    HttpServerRequest request = rc.request();
    Context context = vertx.getOrCreateContext();
    if (rc.body() != null && rc.body().available()) {
      dispatch(context, request, rc.body().buffer());
      return;
    }
    int max = options.getMaxMessageSize();
    Buffer body = Buffer.buffer();
    boolean[] tooLarge = {false};
    request.handler(
        chunk -> {
          if (tooLarge[0]) {
            return;
          }
          if (body.length() + chunk.length() > max) {
            tooLarge[0] = true;
            request.response().setStatusCode(413).end();
            request.connection().close();
            return;
          }
          body.appendBuffer(chunk);
        });
    request.endHandler(
        v -> {
          if (!tooLarge[0]) {
            dispatch(context, request, body);
          }
        });
    request.exceptionHandler(e -> LOG.debug("CometD request failed", e));
    request.resume();
  }

  private void dispatch(Context context, HttpServerRequest request, Buffer body) {
    HttpExchange exchange =
        new HttpExchange(context, request, body == null ? Buffer.buffer() : body);
    AbstractHttpTransport transport = AbstractHttpTransport.find(bayeux, exchange);
    if (transport == null) {
      request.response().setStatusCode(400).end("Unknown Bayeux transport");
      return;
    }
    transport.handle(
        new VertxBayeuxContext(request),
        exchange,
        exchange,
        new Promise<>() {
          @Override
          public void succeed(Void result) {
            exchange.complete();
          }

          @Override
          public void fail(Throwable failure) {
            LOG.debug("CometD long-polling request failed", failure);
            exchange.completeWithError(failure);
          }
        });
  }
}
