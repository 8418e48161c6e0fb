package dev.hachat.interaction;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.limit.ConnectionCap;
import dev.hachat.common.limit.KeepAlive;
import dev.hachat.interaction.agents.AgentFrames;
import dev.hachat.interaction.agents.Desks;
import dev.hachat.interaction.config.ElectionOptions;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.interaction.config.RoutingOptions;
import dev.hachat.interaction.instances.InstanceLinks;
import dev.hachat.interaction.leader.PeerFrames;
import dev.hachat.interaction.leader.PeerSession;
import dev.hachat.interaction.leader.RouterLease;
import dev.hachat.interaction.routing.Router;
import dev.hachat.interaction.routing.RouterSettings;
import dev.hachat.store.Lease;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.InstanceRegistry;
import dev.hachat.store.spi.Leases;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
  private final RoutingRole role;
  private final Leases leases;
  private RouterLease lease;
  private HttpServer server;
  private long publishTimer = -1;
  private long roleTimer = -1;

  private InteractionServer(
      Vertx vertx,
      InteractionOptions options,
      InstanceRegistry registry,
      Leases leases,
      Authenticator auth,
      boolean ownsVertx,
      Runnable closeStore) {
    this.leases = leases;
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
            new RoutingEvents(this::roleNow, metrics));
    this.role =
        new RoutingRole(
            vertx,
            context,
            router,
            this::desksNow,
            id,
            new RoutingRole.PeerDial(
                options.getSecurity().getTlsTrustFile(),
                () -> auth.enabled() ? auth.issueToken(Principal.of(id, Role.PEER)) : null,
                dev.hachat.interaction.client.AgentApiClient.REQUEST_TIMEOUT_MS),
            r.getDisconnectGrace());
    this.desks =
        new Desks(
            vertx,
            context,
            () -> roleNow().access(),
            options,
            () -> linksNow().endpoints(),
            (agentId, supervisor) ->
                !auth.enabled()
                    ? null
                    : auth.issueToken(
                        supervisor
                            ? Principal.of(agentId, Role.AGENT, Role.SUPERVISOR)
                            : Principal.of(agentId, Role.AGENT)));
    this.board =
        new Switchboard(
            context, router, desks, this::roleNow, r, () -> linksNow().stateTable(), id);
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
            options.getInstanceHeartbeatTimeout(),
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

  private RoutingRole roleNow() {
    return role;
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
                                backend.leases(),
                                auth,
                                true,
                                backend.store()::shutdown)))
        .compose(s -> s.listen().map(s))
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
  }

  /**
   * Starts on a given Vert.x with a given registry (in-process tests); {@code leases} null: it is
   * the only interaction server and routes at once.
   */
  public static Future<InteractionServer> start(
      Vertx vertx, InteractionOptions options, InstanceRegistry registry, Leases leases) {
    return Authenticator.create(vertx, options.getSecurity())
        .compose(
            auth -> {
              InteractionServer s =
                  new InteractionServer(vertx, options, registry, leases, auth, false, () -> {});
              return s.listen().map(s);
            });
  }

  private Future<Void> listen() {
    long loginTimeoutMs = options.getSecurity().getLoginTimeout() * 1000L;
    JsonObject desktop =
        new JsonObject()
            .put("cannedResponses", new JsonArray(options.getDesktop().getCannedResponses()))
            .put("dispositions", new JsonArray(options.getDesktop().getDispositions()));
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
                  String origin = h.headers().get("Origin");
                  String host = h.headers().get("Host");
                  if (AgentFrames.PATH.equals(h.path())
                      && (!SameOrigin.allows(origin, host)
                          || (!auth.enabled() && origin != null && !SameOrigin.loopback(host)))) {
                    h.reject(403); // a browser on another site's page: SameOrigin
                  } else if (PeerFrames.PATH.equals(h.path()) && !SameOrigin.allows(origin, host)) {
                    h.reject(403); // a peer's client names its own target as its Origin
                  } else if (AgentFrames.PATH.equals(h.path())
                      || PeerFrames.PATH.equals(h.path())) {
                    h.accept();
                  } else {
                    h.reject(404);
                  }
                })
            .webSocketHandler(
                ws -> {
                  KeepAlive.ping(vertx, ws, options.getIdleTimeout());
                  if (PeerFrames.PATH.equals(ws.path())) {
                    new PeerSession(ws, context, router, auth, role.host).start();
                    return;
                  }
                  new AgentConnection(ws, board, auth, metrics, links::interactionStopped, desktop)
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
                      notices.tick(router.places(), router.leading());
                    }));
    if (leases != null) {
      context.run(role::joinGroup);
    } else {
      metrics.routing(true); // alone: it routes
    }
    return links
        .start()
        .compose(v -> server.listen(options.getHttp().getPort(), options.getHttp().getHost()))
        .compose(s -> context.call(() -> elect(s.actualPort())).map(s))
        .onSuccess(
            s ->
                LOG.info(
                    "[{}] interaction server listening on {}:{}",
                    options.effectiveId(),
                    options.getHttp().getHost(),
                    s.actualPort()))
        .mapEmpty();
  }

  /** Takes part in the election of the router, if there are several servers. */
  private Future<Void> elect(int port) {
    if (leases == null) {
      return Future.succeededFuture();
    }
    ElectionOptions e = options.getElection();
    String host =
        e.getAdvertisedHost().isEmpty() ? options.getHttp().getHost() : e.getAdvertisedHost();
    lease =
        new RouterLease(
            leases,
            ElectionOptions.LEASE,
            RoutingRole.holder(options.effectiveId(), host, port),
            e.getHeartbeatInterval(),
            e.getHeartbeatTimeout(),
            new ContextScheduler(context),
            context::run,
            new RouterLease.Listener() {
              @Override
              public void elected(long epoch) {
                role.elected(epoch, lease::leading);
                metrics.routing(true);
              }

              @Override
              public void deposed(long epoch, String why) {
                role.deposed(epoch, why);
                metrics.routing(false);
              }

              @Override
              public void observed(Lease l) {
                role.observed(l, lease.highestEpoch());
              }
            });
    lease.start();
    roleTimer =
        context.setPeriodic(
            e.getHeartbeatInterval(),
            t -> {
              role.tick();
              router.nudge();
            });
    return Future.succeededFuture();
  }

  /** True while this server routes. */
  public Future<Boolean> routing() {
    return context.call(() -> Future.succeededFuture(router.leading()));
  }

  /** The agent API's port. */
  public int port() {
    return server.actualPort();
  }

  /** Closes the port, the relays and the instance links, then its own Vert.x if it has one. */
  public Future<Void> stop() {
    vertx.cancelTimer(publishTimer);
    vertx.cancelTimer(roleTimer);
    Future<Void> released =
        lease == null ? Future.succeededFuture() : context.call(() -> lease.stop());
    Future<Void> stopped =
        released
            .compose(v -> context.call(role::stop))
            .compose(v -> server == null ? Future.succeededFuture() : server.close())
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
