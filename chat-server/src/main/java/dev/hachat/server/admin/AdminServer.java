package dev.hachat.server.admin;

import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.PortOptions;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.store.InstanceRecord;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Health, KPI, cluster view, contact history and Prometheus endpoints, and the operator's
 * enable/disable switch (docs/operations.md).
 */
public final class AdminServer {
  private final Vertx vertx;
  private final ChatEngine engine;
  private final PortOptions options;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier serving;
  private final Membership membership;
  private final Function<String, Future<JsonObject>> history;
  private HttpServer server;

  private AdminServer(
      Vertx vertx,
      ChatEngine engine,
      PortOptions options,
      PrometheusMeterRegistry registry,
      BooleanSupplier serving,
      Membership membership,
      Function<String, Future<JsonObject>> history) {
    this.vertx = vertx;
    this.history = history;
    this.membership = membership;
    this.engine = engine;
    this.options = options;
    this.registry = registry;
    this.serving = serving;
  }

  /**
   * @param serving true while the instance serves (ports up, taking requests); {@code /health}
   *     answers 200 only then
   * @param membership the instance registry view {@code /cluster} shows
   * @param history reads a chat's contact history for {@code /history/:chatId}; {@code null} when
   *     UCS is off
   */
  public static AdminServer create(
      Vertx vertx,
      ChatEngine engine,
      PortOptions options,
      PrometheusMeterRegistry registry,
      BooleanSupplier serving,
      Membership membership,
      Function<String, Future<JsonObject>> history) {
    return new AdminServer(vertx, engine, options, registry, serving, membership, history);
  }

  public Future<Integer> listen() {
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/kpi").handler(this::kpi);
    router.get("/cluster").handler(this::cluster);
    router.get("/history/:chatId").handler(this::history);
    router.get("/metrics").handler(this::metrics);
    router.post("/admin/disable").handler(ctx -> setEnabled(ctx, false));
    router.post("/admin/enable").handler(ctx -> setEnabled(ctx, true));
    for (String path : new String[] {"/admin/disable", "/admin/enable"}) {
      router.route(path).handler(ctx -> json(ctx, 405, error("METHOD_NOT_ALLOWED", "use POST")));
    }
    router.route().last().handler(ctx -> json(ctx, 404, error("NOT_FOUND", "no such endpoint")));
    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(options.getPort(), options.getHost()).map(HttpServer::actualPort);
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  /**
   * 200 while the instance serves its chats, also when disabled (it still serves the chats it
   * holds); 503 while starting or stopping. {@code state} says whether it takes new chats; {@code
   * quarantineMillis} how long it still takes no new chats and restores none after (re)gaining its
   * lease (docs/consistency.md, R7).
   */
  private void health(RoutingContext ctx) {
    boolean up = serving.getAsBoolean() && !engine.isStopping();
    boolean quarantined = membership.inQuarantine();
    JsonObject body =
        new JsonObject()
            .put("status", up ? "UP" : "DOWN")
            .put("state", engine.state().wireName())
            .put("acceptingChats", up && engine.isAccepting() && !quarantined)
            .put("quarantineMillis", membership.quarantineLeftMillis())
            .put("instanceId", engine.instanceId())
            .put("sessions", engine.activeSessions())
            .put("store", engine.kpi().storeAvailable() ? "AVAILABLE" : "UNAVAILABLE");
    json(ctx, up ? 200 : 503, body);
  }

  /** Operator switch: a disabled instance takes no new chats and serves its current ones. */
  private void setEnabled(RoutingContext ctx, boolean enabled) {
    if (enabled) {
      engine.enable();
    } else {
      engine.disable();
    }
    json(
        ctx,
        200,
        new JsonObject()
            .put("instanceId", engine.instanceId())
            .put("state", engine.state().wireName())
            .put("sessions", engine.activeSessions()));
  }

  private void kpi(RoutingContext ctx) {
    json(
        ctx,
        200,
        new JsonObject().put("instanceId", engine.instanceId()).put("kpi", engine.kpi().toJson()));
  }

  /** A chat's final record in the contact history (UCS). */
  private void history(RoutingContext ctx) {
    if (history == null) {
      json(ctx, 404, error("UCS_DISABLED", "the contact history is not enabled (ucs.enabled)"));
      return;
    }
    String chatId = ctx.pathParam("chatId");
    history
        .apply(chatId)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                json(
                    ctx,
                    503,
                    error("STORE_UNAVAILABLE", "the contact history cannot be read; retry"));
              } else if (ar.result() == null) {
                json(ctx, 404, error("CHAT_NOT_FOUND", "no final transcript for chat " + chatId));
              } else {
                json(ctx, 200, ar.result());
              }
            });
  }

  /** The instances this one knows of and whether it considers them alive. */
  private void cluster(RoutingContext ctx) {
    JsonArray list = new JsonArray();
    for (Membership.Member m : membership.members()) {
      InstanceRecord r = m.record();
      list.add(
          new JsonObject()
              .put("instanceId", r.instanceId())
              .put("self", m.self())
              .put("alive", m.alive())
              .put("state", r.state())
              .put("sessions", r.sessions())
              .put("limit", r.limit())
              .put("webapi", r.webapi())
              .put("esp", r.esp())
              .put("admin", r.admin())
              .put("heartbeat", r.heartbeat())
              .put("startedAt", r.startedAt())
              .put("version", r.version()));
    }
    json(
        ctx,
        200,
        new JsonObject()
            .put("instanceId", engine.instanceId())
            .put("leaseValid", membership.leaseValid())
            .put("instances", list));
  }

  private void metrics(RoutingContext ctx) {
    String text = registry.scrape();
    ctx.response().putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8").end(text);
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject()
        .put("error", new JsonObject().put("code", code).put("message", message));
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
