package dev.hachat.server.admin;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.AdminPortOptions;
import dev.hachat.server.ops.Operations;
import dev.hachat.server.room.RoomMoves;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.store.InstanceRecord;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Health, KPI, cluster view, contact history and Prometheus endpoints, and the operator's
 * enable/disable switch (docs/operations.md). With security on, every endpoint that changes state
 * or reads transcripts ({@code POST /admin/*}, {@code /history/*}) needs an operator or peer
 * credential ({@link AdminAuth}); {@code /health}, {@code /kpi}, {@code /metrics}, {@code /cluster}
 * and {@code GET /admin/drain} stay open (read-only numbers and states).
 */
public final class AdminServer {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(AdminServer.class);
  private final Vertx vertx;
  private final ChatEngine engine;
  private final AdminPortOptions options;
  private final PrometheusMeterRegistry registry;
  private final BooleanSupplier serving;
  private final Membership membership;
  private final Function<String, Future<JsonObject>> history;
  private final Operations ops;
  private final Authenticator auth;
  private HttpServer server;

  private final RoomMoves rooms;
  private final int maxMoves;

  private AdminServer(
      Vertx vertx,
      ChatEngine engine,
      AdminPortOptions options,
      PrometheusMeterRegistry registry,
      BooleanSupplier serving,
      Membership membership,
      Function<String, Future<JsonObject>> history,
      Operations ops,
      Authenticator auth,
      RoomMoves rooms,
      int maxMoves) {
    this.rooms = rooms;
    this.maxMoves = maxMoves;
    this.vertx = vertx;
    this.ops = ops;
    this.auth = auth;
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
   * @param ops the operator procedures behind {@code /admin/*}
   * @param auth guards state changes and transcript reads ({@link Authenticator#open()}: open)
   */
  public static AdminServer create(
      Vertx vertx,
      ChatEngine engine,
      AdminPortOptions options,
      PrometheusMeterRegistry registry,
      BooleanSupplier serving,
      Membership membership,
      Function<String, Future<JsonObject>> history,
      Operations ops,
      Authenticator auth) {
    return create(
        vertx, engine, options, registry, serving, membership, history, ops, auth, null, 1);
  }

  /**
   * As {@link #create(Vertx, ChatEngine, AdminPortOptions, PrometheusMeterRegistry,
   * BooleanSupplier, Membership, Function, Operations, Authenticator)}, with the room endpoints
   * ({@code rooms} null: none) and the moves of one {@code POST /admin/rebalance}.
   */
  public static AdminServer create(
      Vertx vertx,
      ChatEngine engine,
      AdminPortOptions options,
      PrometheusMeterRegistry registry,
      BooleanSupplier serving,
      Membership membership,
      Function<String, Future<JsonObject>> history,
      Operations ops,
      Authenticator auth,
      RoomMoves rooms,
      int maxMoves) {
    return new AdminServer(
        vertx, engine, options, registry, serving, membership, history, ops, auth, rooms, maxMoves);
  }

  public Future<Integer> listen() {
    Router router = Router.router(vertx);
    // First: no body is read before the credential is checked.
    AdminAuth.mount(router, auth, engine.kpi().limits()::adminLoginLimited);
    router.get("/health").handler(this::health);
    router.get("/kpi").handler(this::kpi);
    router.get("/cluster").handler(this::cluster);
    router.get("/history/:chatId").handler(this::history);
    router.get("/metrics").handler(this::metrics);
    router.post("/admin/disable").handler(ctx -> json(ctx, 200, ops.disable()));
    router.post("/admin/enable").handler(ctx -> json(ctx, ops.enableAsync()));
    router.post("/admin/drain").handler(this::drain);
    router.get("/admin/drain").handler(ctx -> json(ctx, 200, ops.status()));
    router.post("/admin/evacuate").handler(this::evacuate);
    router.post("/admin/adopt").handler(this::adopt);
    RoomRoutes.mount(router, rooms, maxMoves);
    for (String path :
        new String[] {
          "/admin/disable", "/admin/enable", "/admin/evacuate", "/admin/adopt", "/admin/drain"
        }) {
      router
          .route(path)
          .handler(ctx -> json(ctx, 405, error("METHOD_NOT_ALLOWED", "use POST (or GET)")));
    }
    router.route().last().handler(ctx -> json(ctx, 404, error("NOT_FOUND", "no such endpoint")));
    server =
        vertx
            .createHttpServer(
                options
                    .getTls()
                    .apply(
                        new HttpServerOptions()
                            .setIdleTimeout(options.getIdleTimeout())
                            .setIdleTimeoutUnit(TimeUnit.SECONDS)))
            .requestHandler(router);
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
    boolean up = up();
    JsonObject body =
        new JsonObject()
            .put("status", up ? "UP" : "DOWN")
            .put("state", engine.state().wireName())
            .put("acceptingChats", acceptingChats())
            .put("quarantineMillis", membership.quarantineLeftMillis())
            .put("instanceId", engine.instanceId())
            .put("sessions", engine.activeSessions())
            .put("rooms", engine.kpi().rooms().hosted())
            .put("store", engine.kpi().storeAvailable() ? "AVAILABLE" : "UNAVAILABLE")
            .put("pid", ProcessHandle.current().pid());
    JsonObject status = ops.status();
    if (status.containsKey("drain")) {
      body.put("drain", status.getJsonObject("drain"));
    }
    body.put("oldestSessionAgeMs", status.getLong("oldestSessionAgeMs"));
    json(ctx, up ? 200 : 503, body);
  }

  private boolean up() {
    return serving.getAsBoolean() && !engine.isStopping();
  }

  /**
   * Whether the instance takes new chats now: serving, enabled ({@code normal}) and out of its
   * quarantine. {@code acceptingChats} of {@code /health} and {@code hachat_accepting_chats}.
   * Thread-safe.
   */
  public boolean acceptingChats() {
    return up() && engine.isAccepting() && !membership.inQuarantine();
  }

  /**
   * Drain: disable, wait for the chats to end; {@code ?deadline=PT5M} or seconds, then evacuate.
   */
  private void drain(RoutingContext ctx) {
    String d = ctx.request().getParam("deadline");
    long deadlineMs;
    try {
      deadlineMs = d == null || d.isBlank() ? -1 : dev.hachat.server.ops.Deadlines.millis(d);
    } catch (IllegalArgumentException e) {
      json(
          ctx,
          400,
          error("BAD_REQUEST", "deadline: an ISO-8601 duration (PT5M) or seconds (300); got " + d));
      return;
    }
    json(ctx, ops.drainAsync(deadlineMs));
  }

  /** Evacuate: hands every open chat to the other instances; answers when done. */
  private void evacuate(RoutingContext ctx) {
    json(ctx, ops.evacuate().map(report -> ops.status().put("evacuation", report)));
  }

  /**
   * Adopt: another instance handed these chats over; claim each now ({@code {"chatIds":[…]}}).
   * Answers which were taken and why the others were not.
   */
  private void adopt(RoutingContext ctx) {
    JsonArray ids;
    try {
      ids = ctx.body().asJsonObject().getJsonArray("chatIds");
    } catch (RuntimeException e) {
      ids = null;
    }
    if (ids == null) {
      json(ctx, 400, error("BAD_REQUEST", "body: {\"chatIds\": [\"…\"]}"));
      return;
    }
    JsonArray adopted = new JsonArray();
    JsonObject failed = new JsonObject();
    java.util.List<Future<?>> all = new java.util.ArrayList<>();
    for (Object o : ids) {
      String id = String.valueOf(o);
      all.add(
          engine
              .find(id)
              .onComplete(
                  ar -> {
                    synchronized (adopted) {
                      if (ar.succeeded()) {
                        adopted.add(id);
                      } else {
                        failed.put(
                            id,
                            ar.cause() instanceof dev.hachat.common.error.ChatException ce
                                ? ce.code().name()
                                : "INTERNAL");
                      }
                    }
                  }));
    }
    Future.join(all)
        .onComplete(
            ar ->
                json(
                    ctx,
                    200,
                    new JsonObject()
                        .put("instanceId", engine.instanceId())
                        .put("adopted", adopted)
                        .put("failed", failed)));
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

  /**
   * 200 with {@code answer}'s body once it is there; if it failed, a typed error's own status, code
   * and message, else 500 {@code INTERNAL} (the cause goes to the log, not to the caller).
   */
  private static void json(RoutingContext ctx, Future<JsonObject> answer) {
    answer.onComplete(
        ar -> {
          if (ar.succeeded()) {
            json(ctx, 200, ar.result());
            return;
          }
          Failure f = Failure.of(ar.cause());
          if (f.status() == 500) {
            LOG.warn("{} {} failed", ctx.request().method(), ctx.request().path(), ar.cause());
          }
          json(ctx, f.status(), f.body());
        });
  }

  /** The answer to a failed operation: its status and error body. */
  record Failure(int status, JsonObject body) {
    static Failure of(Throwable cause) {
      return cause instanceof dev.hachat.common.error.ChatException ce
          ? new Failure(ce.code().httpStatus(), error(ce.code().name(), ce.getMessage()))
          : new Failure(500, error("INTERNAL", "internal error; see the instance's log"));
    }
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
