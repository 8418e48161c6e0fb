package dev.hachat.gms.cometd;

import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.cometd.impl.CometdEndpointImpl;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * The GMS Chat API v2 over CometD (Bayeux 1.0): WebSocket and HTTP long-polling on the same path of
 * an existing Vert.x HTTP server, default {@code /genesys/cometd}.
 *
 * <p>A widget handshakes, then publishes on {@code /service/chatV2/{serviceName}} a {@code data}
 * object with an {@code operation} ({@code requestChat}, {@code sendMessage}, {@code
 * requestNotifications}, …). The reply, a GMS response with that {@code operation}, comes back to
 * that client on the same channel; after {@code requestChat} (and {@code requestNotifications})
 * every new transcript message is pushed there too. See {@code docs/cometd.md}.
 *
 * <p>Threading: {@link #create} and {@link #mount} from any thread; the endpoint's own state lives
 * on the Vert.x context it was created on (or a new event-loop context).
 */
public interface CometdEndpoint {

  /** Creates and starts the Bayeux server; nothing is served until {@link #mount}. */
  static CometdEndpoint create(Vertx vertx, ChatService chatService, CometdOptions options) {
    return create(vertx, chatService, options, new dev.hachat.gms.config.EdgeOptions());
  }

  /**
   * As {@link #create(Vertx, ChatService, CometdOptions)} with the web API server's edge limits:
   * requests from {@code edge.trusted-proxies} count against the last address of their {@code
   * X-Forwarded-For}; one client holds at most {@code edge.max-chats-per-cometd-client} open chats.
   */
  static CometdEndpoint create(
      Vertx vertx,
      ChatService chatService,
      CometdOptions options,
      dev.hachat.gms.config.EdgeOptions edge) {
    return create(vertx, chatService, options, edge, new SimpleMeterRegistry());
  }

  /**
   * As above, counting its refusals in {@code metrics}: {@code
   * hachat_webapi_rate_limited_total{limit="chats-per-cometd-client"}} and {@code
   * hachat_webapi_cometd_first_message_timeouts_total} (docs/metrics.md).
   */
  static CometdEndpoint create(
      Vertx vertx,
      ChatService chatService,
      CometdOptions options,
      dev.hachat.gms.config.EdgeOptions edge,
      MeterRegistry metrics) {
    return new CometdEndpointImpl(vertx, chatService, options, edge, metrics);
  }

  /**
   * Adds the routes for {@link CometdOptions#getPath()} (WebSocket upgrade and long-polling POSTs
   * to the path and below it, as CometD clients append {@code /handshake}, {@code /connect} …). Put
   * no {@code BodyHandler} in front of these routes: the endpoint reads the bodies itself.
   */
  CometdEndpoint mount(Router router);

  /** Number of Bayeux sessions (handshaken clients) currently held. */
  int sessionCount();

  /** Stops following every chat, drops every Bayeux session and stops the Bayeux server. */
  Future<Void> close();
}
