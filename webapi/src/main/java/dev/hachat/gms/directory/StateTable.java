package dev.hachat.gms.directory;

import dev.hachat.common.config.ClientTls;
import dev.hachat.store.InstanceRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The instance state table an operator reads ({@code GET /instances}, the dashboard page): every
 * instance with its state, load, heartbeat age, version, uptime and KPI counters (read from its
 * admin port), plus this web API server itself.
 *
 * <p>States: the instance's own ({@code starting}, {@code normal}, {@code disabled}, {@code
 * draining}, {@code evacuating}, {@code stopping}), {@code failed} when its heartbeats stopped, and
 * {@code restoring} while a normal instance's {@code session_restored} counter rose within the last
 * few seconds (it is taking over a dead instance's chats).
 */
public final class StateTable {
  private static final long RESTORING_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(5);
  private static final int KPI_TIMEOUT_MILLIS = 1000;

  private final InstanceDirectory directory;
  private final WebClient http;
  private final String selfId;
  private final String version;
  private final long startedAt = System.currentTimeMillis();
  private final Map<String, Restores> restores = new ConcurrentHashMap<>();

  /** The last session_restored count seen of an instance and when it last rose. */
  private record Restores(long count, long roseAtNanos) {}

  /**
   * @param tls how instances' admin ports are called: plain, or TLS
   * @param localAddress the local address those calls come from; null: the system picks one
   */
  public StateTable(
      Vertx vertx, InstanceDirectory directory, String selfId, ClientTls tls, String localAddress) {
    this.directory = directory;
    this.http =
        WebClient.create(vertx, tls.apply(new WebClientOptions().setLocalAddress(localAddress)));
    this.selfId = selfId;
    String v = StateTable.class.getPackage().getImplementationVersion();
    this.version = v == null ? "dev" : v;
  }

  /** The table as JSON; KPIs of instances that do not answer in time are left out. */
  /** This build's version, as the table reports it. */
  public String version() {
    return version;
  }

  public Future<JsonObject> snapshot() {
    List<Instance> all = directory.all();
    List<Future<JsonObject>> rows = new ArrayList<>();
    for (Instance i : all) {
      rows.add(kpi(i).map(kpi -> row(i, kpi)));
    }
    return Future.join(rows)
        .transform(
            ar -> {
              JsonArray list = new JsonArray();
              rows.forEach(f -> list.add(f.result()));
              JsonArray servers = new JsonArray();
              for (Instance w : directory.webApiServers()) {
                String id = w.id().substring(InstanceRecord.WEB_API_SERVER_PREFIX.length());
                servers.add(
                    new JsonObject()
                        .put("id", id)
                        .put("self", id.equals(selfId))
                        .put("state", w.alive() ? w.record().state() : "failed")
                        .put("alive", w.alive())
                        .put("address", w.webapi())
                        .put("lastHeartbeatMillisAgo", w.heartbeatAgeMillis())
                        .put("version", w.record().version())
                        .put(
                            "uptimeMillis",
                            Math.max(0, System.currentTimeMillis() - w.record().startedAt())));
              }
              return Future.succeededFuture(
                  new JsonObject()
                      .put(
                          "webApiServer",
                          new JsonObject()
                              .put("id", selfId)
                              .put("state", "normal")
                              .put("version", version)
                              .put("uptimeMillis", System.currentTimeMillis() - startedAt))
                      .put("instances", list)
                      .put("webApiServers", servers));
            });
  }

  private Future<JsonObject> kpi(Instance i) {
    String admin = i.record().admin();
    if (!i.alive() || admin == null || admin.lastIndexOf(':') < 0) {
      return Future.succeededFuture(null);
    }
    int colon = admin.lastIndexOf(':');
    return http.get(Integer.parseInt(admin.substring(colon + 1)), admin.substring(0, colon), "/kpi")
        .timeout(KPI_TIMEOUT_MILLIS)
        .send()
        .map(r -> r.statusCode() == 200 ? r.bodyAsJsonObject().getJsonObject("kpi") : null)
        .otherwise((JsonObject) null);
  }

  private JsonObject row(Instance i, JsonObject kpi) {
    String state = i.alive() ? i.record().state() : "failed";
    if (kpi != null && "normal".equals(state) && restoring(i.id(), kpi)) {
      state = "restoring";
    }
    JsonObject row =
        new JsonObject()
            .put("instanceId", i.id())
            .put("state", state)
            .put("alive", i.alive())
            .put("suspect", i.suspect())
            .put("takesNewChats", i.takesNewChats())
            .put("sessions", i.record().sessions())
            .put("limit", i.record().limit())
            .put("load", Math.round(i.load() * 1000) / 1000.0)
            .put("lastHeartbeatMillisAgo", i.heartbeatAgeMillis())
            .put("version", i.record().version())
            .put("startedAt", i.record().startedAt())
            .put("uptimeMillis", Math.max(0, System.currentTimeMillis() - i.record().startedAt()))
            .put("webapi", i.webapi())
            .put("esp", i.record().esp())
            .put("admin", i.record().admin());
    if (kpi != null) {
      row.put("kpi", kpi);
    }
    return row;
  }

  private boolean restoring(String id, JsonObject kpi) {
    long count = kpi.getLong("session_restored", 0L);
    long now = System.nanoTime();
    Restores r =
        restores.compute(
            id,
            (k, old) ->
                old == null
                    ? new Restores(count, now - 2 * RESTORING_WINDOW_NANOS)
                    : count > old.count() ? new Restores(count, now) : old);
    return now - r.roseAtNanos() < RESTORING_WINDOW_NANOS;
  }

  public void close() {
    http.close();
  }
}
