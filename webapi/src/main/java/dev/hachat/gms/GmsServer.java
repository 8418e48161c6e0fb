package dev.hachat.gms;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.PeerToken;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.ConnectionCap;
import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.cometd.CometdEndpoint;
import dev.hachat.gms.config.GmsOptions;
import dev.hachat.gms.directory.Instance;
import dev.hachat.gms.directory.InstanceDirectory;
import dev.hachat.gms.directory.RegistryPresence;
import dev.hachat.gms.directory.StateTable;
import dev.hachat.gms.edge.WebEdge;
import dev.hachat.gms.rest.RestRoutes;
import dev.hachat.gms.routing.ChatRouter;
import dev.hachat.gms.service.GmsChatService;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.InstanceRegistry;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * One web API server: the instance directory, the router, the GMS service, and one HTTP port with
 * the REST API, CometD, the demo widget page ({@code /}), {@code GET /health} and {@code GET
 * /instances} (what this server knows of every instance).
 */
public final class GmsServer {
  private final Vertx vertx;
  private final GmsOptions options;
  private final InstanceDirectory directory;
  private final ChatRouter router;
  private final ChatService service;
  private final StateTable stateTable;
  private final boolean ownsVertx;
  private final Runnable closeRegistry;
  private HttpServer http;
  private CometdEndpoint cometd;
  private final InstanceRegistry registry;
  private RegistryPresence presence;
  private final long startedAt = System.currentTimeMillis();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final long evictTimer;
  private final Authenticator auth;
  private final Counter loginsLimited;

  private GmsServer(
      Vertx vertx,
      GmsOptions options,
      InstanceRegistry registry,
      boolean ownsVertx,
      Runnable closeRegistry,
      Authenticator auth) {
    this.vertx = vertx;
    this.auth = auth;
    this.options = options;
    this.ownsVertx = ownsVertx;
    this.closeRegistry = closeRegistry;
    this.registry = registry;
    this.directory =
        new InstanceDirectory(
            vertx,
            registry,
            options.getDirectory(),
            options.getRouting().getSuspectTime(),
            System::nanoTime);
    PeerToken peerToken = new PeerToken(auth, options.getSecurity(), options.effectiveId());
    this.router =
        new ChatRouter(
            vertx,
            directory,
            options.getRouting(),
            peerToken::header,
            options.getSecurity().clientTls());
    GmsChatService gms = new GmsChatService(vertx, options, router, directory, metrics);
    this.service = gms;
    this.evictTimer = vertx.setPeriodic(60_000, t -> gms.evictIdleLimits());
    this.stateTable =
        new StateTable(
            vertx,
            directory,
            options.effectiveId(),
            options.getSecurity().clientTls(),
            options.getRouting().localAddressOrNull());
    this.loginsLimited =
        Counter.builder("hachat.webapi.rate.limited")
            .description("Requests refused by a rate limit (RATE_LIMITED)")
            .tag("limit", "login-failures")
            .register(metrics);
  }

  /** Starts a web API server on its own Vert.x, reading the registry of {@code options.store}. */
  public static Future<GmsServer> start(GmsOptions options) {
    Vertx vertx = Vertx.vertx();
    // validate() refused store.type memory: it has no registry shared with the instances.
    Future<TranscriptStores.Backend> backend =
        TranscriptStores.open(vertx, options.getStore(), options.getUcs().getPostgres());
    Future<Authenticator> auth = Authenticator.create(vertx, options.getSecurity());
    return Future.all(backend, auth)
        .compose(
            all -> {
              TranscriptStores.Backend b = all.resultAt(0);
              GmsServer s =
                  new GmsServer(
                      vertx, options, b.registry(), true, b.store()::shutdown, all.resultAt(1));
              return s.listen().map(s);
            })
        .recover(e -> vertx.close().transform(ar -> Future.failedFuture(e)));
  }

  /** Starts on a given Vert.x with a given registry (in-process tests). */
  public static Future<GmsServer> start(
      Vertx vertx, GmsOptions options, InstanceRegistry registry) {
    return Authenticator.create(vertx, options.getSecurity())
        .compose(
            auth -> {
              GmsServer s = new GmsServer(vertx, options, registry, false, () -> {}, auth);
              return s.listen().map(s);
            });
  }

  private Future<Void> listen() {
    Router web = Router.router(vertx);
    WebEdge.mount(
        web,
        options.getEdge(),
        java.util.List.of("/genesys/*", options.getCometd().getPath() + "*"));
    cometd =
        CometdEndpoint.create(vertx, service, options.getCometd(), options.getEdge(), metrics)
            .mount(web);
    new RestRoutes(service, options.getMaxBodySize(), options.getEdge().getTrustedProxies())
        .mount(web);
    web.get("/health").handler(this::health);
    web.get("/metrics").handler(this::metrics);
    web.get("/instances").handler(this::operatorsOnly).handler(this::instances);
    if (options.isWidget()) {
      web.route("/*").handler(StaticHandler.create("webroot").setCachingEnabled(false));
    }
    web.route()
        .last()
        .handler(
            ctx ->
                json(
                    ctx,
                    404,
                    new JsonObject()
                        .put("statusCode", 2)
                        .put(
                            "errors",
                            new JsonArray()
                                .add(
                                    new JsonObject()
                                        .put("code", 105)
                                        .put("advice", "no such endpoint")
                                        .put("name", "NOT_FOUND")))));
    Counter refused =
        Counter.builder("hachat.webapi.connections.refused")
            .description("connections closed at accept: too many from one address")
            .register(metrics);
    ConnectionCap cap =
        new ConnectionCap(
            options.getEdge().getMaxConnectionsPerAddress(),
            Set.copyOf(options.getEdge().getTrustedProxies()),
            refused::increment);
    return directory
        .start()
        .compose(
            v ->
                vertx
                    .createHttpServer(
                        cap.serverOptions(
                            options
                                .getHttp()
                                .getTls()
                                .apply(
                                    new HttpServerOptions()
                                        .setIdleTimeout(options.getEdge().getIdleTimeout())
                                        .setIdleTimeoutUnit(TimeUnit.SECONDS))))
                    .connectionHandler(cap::accept)
                    .requestHandler(web)
                    .listen(options.getHttp().getPort(), options.getHttp().getHost()))
        .compose(
            s -> {
              http = s;
              presence =
                  new RegistryPresence(
                      vertx,
                      registry,
                      options.effectiveId(),
                      options.getHttp().getHost() + ":" + s.actualPort(),
                      stateTable.version(),
                      startedAt);
              return presence.start(options.getDirectory().getPollInterval());
            })
        .recover(e -> cometd.close().transform(ar -> Future.failedFuture(e)));
  }

  private void health(RoutingContext ctx) {
    boolean ok = directory.ready() && directory.all().stream().anyMatch(Instance::alive);
    json(
        ctx,
        ok ? 200 : 503,
        new JsonObject()
            .put("status", ok ? "UP" : "NO_INSTANCE")
            .put("id", options.effectiveId())
            .put("uptimeMillis", System.currentTimeMillis() - startedAt));
  }

  /** Prometheus text: counters of this server only (no chat data). */
  private void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
        .putHeader("cache-control", "no-store")
        .end(metrics.scrape());
  }

  /**
   * With security on, the state table needs an operator credential ({@code Basic} or {@code
   * Bearer}): 401 with a {@code WWW-Authenticate} challenge, 403 for another role, 429 throttled.
   */
  private void operatorsOnly(RoutingContext ctx) {
    HttpCredentials.require(auth, ctx.request(), Role.OPERATOR)
        .onSuccess(p -> ctx.next())
        .onFailure(
            e -> {
              ChatException ce =
                  e instanceof ChatException c
                      ? c
                      : new ChatException(ErrorCode.UNAUTHORIZED, "credentials required");
              if (ce.code() == ErrorCode.RATE_LIMITED) {
                loginsLimited.increment();
              }
              if (ce.code() == ErrorCode.UNAUTHORIZED) {
                ctx.response().putHeader("WWW-Authenticate", HttpCredentials.CHALLENGE);
              }
              json(
                  ctx,
                  ce.code().httpStatus(),
                  new JsonObject()
                      .put(
                          "error",
                          new JsonObject()
                              .put("code", ce.code().name())
                              .put("message", ce.getMessage())));
            });
  }

  private void instances(RoutingContext ctx) {
    stateTable.snapshot().onSuccess(t -> json(ctx, 200, t)).onFailure(ctx::fail);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  public int port() {
    return http.actualPort();
  }

  public GmsOptions options() {
    return options;
  }

  public ChatService service() {
    return service;
  }

  /** The CometD endpoint at {@code cometd.path} (null before start). */
  public CometdEndpoint cometd() {
    return cometd;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Requests that needed more than one try (a failover or a redirect). */
  public long retriedRequests() {
    return router.retried.get();
  }

  public Future<Void> stop() {
    Future<Void> left = presence == null ? Future.succeededFuture() : presence.stop();
    directory.stop();
    vertx.cancelTimer(evictTimer);
    router.close();
    stateTable.close();
    auth.close();
    Future<Void> closed =
        left.eventually(() -> http == null ? Future.succeededFuture() : http.close());
    if (cometd != null) {
      closed = closed.eventually(cometd::close);
    }
    return closed.eventually(
        () -> {
          closeRegistry.run();
          return ownsVertx ? vertx.close() : Future.succeededFuture();
        });
  }
}
