package dev.hachat.ctl.output;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.hachat.ctl.Durations;
import dev.hachat.ctl.admin.ClusterView;
import dev.hachat.ctl.admin.Member;
import java.time.Duration;
import java.util.Map;

/**
 * The state table of {@code hachatctl status}, as JSON (what {@code --json} prints) and as a
 * terminal table made from that JSON. Two sources: an instance's {@code GET /cluster} with each
 * live instance's {@code GET /health}, or a web API server's {@code GET /instances}
 * (docs/state-table.md). Each row has the same fields either way: {@code instanceId}, {@code
 * state}, {@code alive}, {@code acceptingChats}, {@code sessions}, {@code limit}, {@code rooms}
 * (persistent rooms hosted, docs/rooms.md; null when not known), {@code store}, {@code version},
 * {@code startedAt}, {@code webapi}, {@code esp}, {@code admin}; then what only one source knows
 * ({@code heartbeat} and {@code health}, or {@code lastHeartbeatMillisAgo}, {@code suspect} and
 * {@code kpi}).
 */
public final class StatusReport {
  private StatusReport() {}

  /**
   * @param health each live instance's {@code /health} answer by id
   * @param healthErrors why an instance's {@code /health} could not be read, by id
   */
  public static ObjectNode fromCluster(
      ClusterView view, Map<String, JsonNode> health, Map<String, String> healthErrors) {
    ObjectNode report =
        Output.object()
            .put("source", view.source())
            .put("sourceAddress", view.sourceAddress())
            .put("leaseValid", view.leaseValid());
    ArrayNode rows = report.putArray("instances");
    for (Member m : view.members()) {
      JsonNode h = health.get(m.id());
      ObjectNode r = rows.addObject().put("instanceId", m.id());
      r.put("state", h != null ? h.path("state").asText(m.state()) : m.displayState());
      r.put("registryState", m.state()).put("alive", m.alive());
      if (h != null) {
        r.put("acceptingChats", h.path("acceptingChats").asBoolean(false));
        r.put("sessions", h.path("sessions").asLong(m.sessions()));
      } else {
        r.putNull("acceptingChats");
        r.put("sessions", m.sessions());
      }
      r.put("limit", m.limit());
      if (h != null && h.path("rooms").isNumber()) {
        r.put("rooms", h.get("rooms").asLong());
      } else {
        r.putNull("rooms");
      }
      if (h != null && h.hasNonNull("store")) {
        r.put("store", h.get("store").asText());
      } else {
        r.putNull("store");
      }
      addresses(r, m.version(), m.startedAt(), m.webapi(), m.esp(), m.admin());
      r.put("heartbeat", m.heartbeat());
      if (h != null) {
        r.set("health", h);
      }
      if (healthErrors.containsKey(m.id())) {
        r.put("healthError", healthErrors.get(m.id()));
      }
    }
    return report;
  }

  /** From a web API server's {@code GET /instances} answer. */
  public static ObjectNode fromWebApi(String address, JsonNode table) {
    ObjectNode report =
        Output.object()
            .put("source", table.path("webApiServer").path("id").asText(address))
            .put("sourceAddress", address);
    ArrayNode rows = report.putArray("instances");
    for (JsonNode i : table.path("instances")) {
      ObjectNode r = rows.addObject().put("instanceId", i.path("instanceId").asText());
      r.put("state", i.path("state").asText()).put("alive", i.path("alive").asBoolean(false));
      r.put("acceptingChats", i.path("takesNewChats").asBoolean(false));
      r.put("sessions", i.path("sessions").asLong()).put("limit", i.path("limit").asLong());
      JsonNode rooms = i.path("kpi").path("rooms_hosted");
      if (rooms.isNumber()) {
        r.put("rooms", rooms.asLong());
      } else {
        r.putNull("rooms");
      }
      JsonNode available = i.path("kpi").path("store_available");
      if (available.isBoolean()) {
        r.put("store", available.asBoolean() ? "AVAILABLE" : "UNAVAILABLE");
      } else {
        r.putNull("store");
      }
      addresses(
          r,
          i.path("version").asText(""),
          i.path("startedAt").asLong(0),
          i.path("webapi").asText(""),
          i.path("esp").asText(""),
          i.path("admin").asText(""));
      r.put("lastHeartbeatMillisAgo", i.path("lastHeartbeatMillisAgo").asLong());
      r.put("suspect", i.path("suspect").asBoolean(false));
      if (i.has("kpi")) {
        r.set("kpi", i.get("kpi"));
      }
    }
    if (table.has("webApiServers")) {
      report.set("webApiServers", table.get("webApiServers"));
    }
    return report;
  }

  private static void addresses(
      ObjectNode r, String version, long startedAt, String webapi, String esp, String admin) {
    r.put("version", version).put("startedAt", startedAt);
    r.put("webapi", webapi).put("esp", esp).put("admin", admin);
  }

  /** The report as a terminal table, uptimes measured to {@code nowMillis}. */
  public static String table(JsonNode report, long nowMillis) {
    Table t =
        new Table(
            "INSTANCE",
            "STATE",
            "ALIVE",
            "NEW CHATS",
            "SESSIONS",
            "ROOMS",
            "STORE",
            "HEARTBEAT",
            "VERSION",
            "UPTIME",
            "WEBAPI",
            "ESP",
            "ADMIN");
    for (JsonNode r : report.path("instances")) {
      JsonNode accepting = r.path("acceptingChats");
      t.row(
          r.path("instanceId").asText(),
          r.path("state").asText(),
          yesNo(r.path("alive").asBoolean()),
          accepting.isBoolean() ? yesNo(accepting.asBoolean()) : null,
          r.path("sessions").asLong() + "/" + r.path("limit").asLong(),
          r.hasNonNull("rooms") ? r.get("rooms").asText() : null,
          r.hasNonNull("store") ? r.get("store").asText() : null,
          heartbeat(r),
          r.path("version").asText(""),
          uptime(r, nowMillis),
          r.path("webapi").asText(""),
          r.path("esp").asText(""),
          r.path("admin").asText(""));
    }
    StringBuilder b = new StringBuilder(t.render());
    b.append("seen by ")
        .append(report.path("source").asText())
        .append(" (")
        .append(report.path("sourceAddress").asText())
        .append(")");
    if (report.has("leaseValid")) {
      b.append(report.path("leaseValid").asBoolean() ? ", lease valid" : ", LEASE NOT VALID");
    }
    b.append('\n');
    for (JsonNode r : report.path("instances")) {
      if (r.has("healthError")) {
        b.append(r.path("instanceId").asText())
            .append(": /health not read: ")
            .append(r.path("healthError").asText())
            .append('\n');
      }
    }
    for (JsonNode g : report.path("webApiServers")) {
      b.append("web API server ")
          .append(g.path("id").asText())
          .append(": ")
          .append(g.path("state").asText())
          .append(", ")
          .append(g.path("address").asText())
          .append('\n');
    }
    return b.toString();
  }

  private static String heartbeat(JsonNode r) {
    if (r.has("lastHeartbeatMillisAgo")) {
      return Durations.format(Duration.ofMillis(r.get("lastHeartbeatMillisAgo").asLong())) + " ago";
    }
    return "#" + r.path("heartbeat").asLong();
  }

  private static String uptime(JsonNode r, long nowMillis) {
    long started = r.path("startedAt").asLong(0);
    if (started <= 0 || !r.path("alive").asBoolean()) {
      return null;
    }
    Duration d = Duration.ofMillis(Math.max(0, nowMillis - started));
    // whole seconds are enough for an uptime
    return Durations.format(d.minusMillis(d.toMillisPart()));
  }

  private static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }
}
