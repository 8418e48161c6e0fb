package dev.hachat.interaction;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.limit.ConnectionCap;
import dev.hachat.common.limit.KeepAlive;
import dev.hachat.interaction.agents.AgentFrames;
import dev.hachat.interaction.agents.Desks;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.interaction.config.RoutingOptions;
import dev.hachat.interaction.instances.InstanceLinks;
import dev.hachat.interaction.routing.Router;
import dev.hachat.interaction.routing.RouterSettings;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One interaction server (docs/interaction.md): its links to the instances, the router and the
 * desks on one context of their own, and one HTTP port with the agent API (WebSocket {@value
 * AgentFrames#PATH}), {@code /health} and {@code /metrics}.
 */
public final class InteractionServer {
  private static final Logger LOG = LoggerFactory.getLogger(InteractionServer.class);

  private final Vertx vertx;
  private final InteractionOptions options;
  private final Authenticator auth;
  private final boolean ownsVertx;
  private final Runnable closeStore;
  private final OwnContext context;
  private final InstanceLinks links;
  private final Router router;
  private final Desks desks;
  private final Switchboard board;
  private final IxnMetrics metrics;
  private final QueueNotices notices;
  private HttpServer server;
  private long publishTimer = -1;

  private InteractionServer(
      Vertx vertx,
      InteractionOptions options,
      InstanceRegistry registry,
      Authenticator auth,
      boolean ownsVertx,
      Runnable closeStore) {
    this.vertx = vertx;
    this.options = options;
    this.auth = auth;
    this.ownsVertx = ownsVertx;
    this.closeStore = closeStore;
    this.context = OwnContext.create(vertx);
    RoutingOptions r = options.getRouting();
    String id = options.effectiveId();
    this.metrics = new IxnMetrics(() -> linksNow() == null ? 0 : linksNow().connected());
    this.router =
        new Router(
            new RouterSettings(r.getOfferTimeout(), r.getMaxMissedOffers(), r.getAfterCallWork()),
            new ContextScheduler(context),
            new RoutingEvents(this::desksNow, metrics));
    this.desks =
        new Desks(
            vertx,
            context,
            router,
            options,
            () -> linksNow().endpoints(),
            agentId -> auth.enabled() ? auth.issueToken(Principal.of(agentId, Role.AGENT)) : null);
    this.board = new Switchboard(context, router, desks, r);
    this.notices =
        new QueueNotices(
            r,
            (instanceId, chatId, text) -> linksNow().notice(instanceId, chatId, text),
            () -> System.nanoTime() / 1_000_000);
    this.links =
        new InstanceLinks(
            vertx,
            registry,
            options.getRegistryPollInterval(),
            id,
            auth.enabled() ? () -> auth.issueToken(Principal.of(id, Role.WORKFLOW)) : null,
            board);
  }

  private InstanceLinks linksNow() {
    return links;
  }

  private Desks desksNow() {
    return desks;
  }

  /** Starts on its own Vert.x, reading the instance registry of {@code options.store}. */
  public static Future<InteractionServer> start(InteractionOptions options) {
    Vertx vertx = Vertx.vertx();
    return TranscriptStores.open(vertx, options.getStore(), options.getUcs().getPostgres())
        .compose(
            backend ->
                Authenticator.create(vertx, options.getSecurity())
                    .map(
                        auth ->
                            new InteractionServer(
                                vertx,
                                options,
                                backend.registry(),
                                auth,
                                true,
                                backend.store()::shutdown)))
        .compose(s -> s.listen().map(s))
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
  }

  /** Starts on a given Vert.x with a given registry (in-process tests). */
  public static Future<InteractionServer> start(
      Vertx vertx, InteractionOptions options, InstanceRegistry registry) {
    return Authenticator.create(vertx, options.getSecurity())
        .compose(
            auth -> {
              InteractionServer s =
                  new InteractionServer(vertx, options, registry, auth, false, () -> {});
              return s.listen().map(s);
            });
  }

  private Future<Void> listen() {
    long loginTimeoutMs = options.getSecurity().getLoginTimeout() * 1000L;
    server =
        new ConnectionCap(Integer.MAX_VALUE, () -> {})
            .newServer(
                vertx,
                options
                    .getHttp()
                    .getTls()
                    .apply(
                        new HttpServerOptions()
                            .setIdleTimeout(options.getIdleTimeout())
                            .setIdleTimeoutUnit(TimeUnit.SECONDS)
                            .setMaxWebSocketFrameSize(options.getMaxFrameSize())
                            .setMaxWebSocketMessageSize(options.getMaxFrameSize())))
            .webSocketHandshakeHandler(
                h -> {
                  if (AgentFrames.PATH.equals(h.path())) {
                    h.accept();
                  } else {
                    h.reject(404);
                  }
                })
            .webSocketHandler(
                ws -> {
                  KeepAlive.ping(vertx, ws, options.getIdleTimeout());
                  new AgentConnection(ws, board, auth, metrics, links::interactionStopped)
                      .start(vertx, loginTimeoutMs);
                })
            .requestHandler(
                IxnHttp.routes(vertx, options.effectiveId(), auth, board, links, metrics));
    publishTimer =
        vertx.setPeriodic(
            1000,
            t ->
                context.run(
                    () -> {
                      metrics.publish(router.queues(), router.agents());
                      notices.tick(router.places());
                    }));
    return links
        .start()
        .compose(v -> server.listen(options.getHttp().getPort(), options.getHttp().getHost()))
        .onSuccess(
            s ->
                LOG.info(
                    "[{}] interaction server listening on {}:{}",
                    options.effectiveId(),
                    options.getHttp().getHost(),
                    s.actualPort()))
        .mapEmpty();
  }

  /** The agent API's port. */
  public int port() {
    return server.actualPort();
  }

  /** Closes the port, the relays and the instance links, then its own Vert.x if it has one. */
  public Future<Void> stop() {
    vertx.cancelTimer(publishTimer);
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    Future<Void> stopped =
        closed
            .compose(v -> context.call(desks::shutdown))
            .compose(v -> links.stop())
            .eventually(
                () -> {
                  closeStore.run();
                  auth.close();
                  return Future.succeededFuture();
                });
    if (!ownsVertx) {
      return stopped;
    }
    // Not stopped.eventually(vertx::close): that Future belongs to an event loop the close ends,
    // so its outcome was never delivered and the shutdown hook timed out. This Promise belongs to
    // no context: it is completed on whichever thread ends the close.
    Promise<Void> done = Promise.promise();
    stopped.onComplete(ar -> vertx.close().onComplete(v -> done.handle(ar)));
    return done.future();
  }
}
