package dev.hachat.systemtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every PromQL expression of a Grafana dashboard JSON ({@code deploy/grafana/hachat.json}), run
 * against a live Prometheus: each must parse and return at least one series, so that no panel is
 * silently empty or misspelt. Grafana's variables are replaced first ({@code $__rate_interval} by
 * {@code 1m}, a query variable by {@code .*}); one that is left makes the expression fail to parse,
 * which is reported like any other problem. Query variables ({@code label_values(metric, label)})
 * are checked the same way: the metric must have series with that label.
 */
final class DashboardQueries {
  static final Path DASHBOARD = InstanceProcess.home().resolve("deploy/grafana/hachat.json");
  private static final Map<String, String> BUILT_INS =
      Map.of("$__rate_interval", "1m", "$__interval", "15s", "$__range", "5m");
  private static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*(.+?)\\s*,\\s*(\\w+)\\s*\\)");

  /** One expression: where it is in the dashboard, and the PromQL as Prometheus gets it. */
  record Query(String where, String promql) {}

  private DashboardQueries() {}

  /** Every expression of {@code dashboard}, its variables replaced. */
  static List<Query> of(JsonObject dashboard) {
    Map<String, String> vars = new LinkedHashMap<>(BUILT_INS);
    List<Query> queries = new ArrayList<>();
    for (Object o : dashboard.getJsonObject("templating").getJsonArray("list")) {
      JsonObject v = (JsonObject) o;
      if (!"query".equals(v.getString("type"))) {
        continue;
      }
      String name = v.getString("name");
      vars.put("${" + name + "}", v.getString("allValue", ".*"));
      vars.put("$" + name, v.getString("allValue", ".*"));
      Matcher m = LABEL_VALUES.matcher(v.getString("definition", ""));
      if (!m.matches()) {
        throw new IllegalArgumentException(
            "variable " + name + ": not label_values(metric, label)");
      }
      queries.add(
          new Query("variable " + name, "count by (" + m.group(2) + ") (" + m.group(1) + ")"));
    }
    collect(dashboard.getJsonArray("panels"), vars, queries);
    return queries;
  }

  static List<Query> of(Path dashboard) throws IOException {
    return of(new JsonObject(Files.readString(dashboard)));
  }

  private static void collect(JsonArray panels, Map<String, String> vars, List<Query> out) {
    for (Object o : panels) {
      JsonObject panel = (JsonObject) o;
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      for (Object t : targets) {
        JsonObject target = (JsonObject) t;
        String expr = target.getString("expr");
        if (expr != null) {
          out.add(
              new Query(
                  "panel \"" + panel.getString("title") + "\" " + target.getString("refId"),
                  substitute(expr, vars)));
        }
      }
      collect(panel.getJsonArray("panels", new JsonArray()), vars, out); // a collapsed row's
    }
  }

  private static String substitute(String expr, Map<String, String> vars) {
    String s = expr;
    // The longest names first, so that $instance never eats the start of $instances.
    List<String> names = new ArrayList<>(vars.keySet());
    names.sort((a, b) -> b.length() - a.length());
    for (String name : names) {
      s = s.replace(name, vars.get(name));
    }
    return s;
  }

  /**
   * What Grafana needs to show every panel: a unique id each, and each panel with queries on the
   * {@code datasource} variable with a {@code refId} and an {@code expr}. One line per problem.
   */
  static List<String> shapeProblems(JsonObject dashboard) {
    List<String> problems = new ArrayList<>();
    java.util.Set<Integer> ids = new java.util.HashSet<>();
    for (Object o : dashboard.getJsonArray("panels")) {
      JsonObject panel = (JsonObject) o;
      String title = panel.getString("title");
      if (!ids.add(panel.getInteger("id", -1))) {
        problems.add("panel \"" + title + "\": id missing or not unique");
      }
      String type = panel.getString("type");
      if ("row".equals(type) || "text".equals(type)) {
        continue;
      }
      if (!"${datasource}"
          .equals(panel.getJsonObject("datasource", new JsonObject()).getString("uid"))) {
        problems.add("panel \"" + title + "\": not on the datasource variable");
      }
      JsonArray targets = panel.getJsonArray("targets", new JsonArray());
      if (targets.isEmpty()) {
        problems.add("panel \"" + title + "\": no query");
      }
      for (Object t : targets) {
        JsonObject target = (JsonObject) t;
        if (target.getString("refId") == null || target.getString("expr", "").isBlank()) {
          problems.add("panel \"" + title + "\": a query without refId or expr");
        }
      }
    }
    return problems;
  }

  /**
   * Runs each query; returns one line per problem (does not parse, fails, or returns no series),
   * empty when every query returned data.
   */
  static List<String> problems(PrometheusServer prometheus, List<Query> queries)
      throws IOException, InterruptedException {
    List<String> problems = new ArrayList<>();
    for (Query q : queries) {
      JsonObject answer = prometheus.query(q.promql());
      if (!"success".equals(answer.getString("status"))) {
        problems.add(
            q.where()
                + ": "
                + answer.getString("errorType")
                + ": "
                + answer.getString("error")
                + " in "
                + q.promql());
      } else if (answer.getJsonObject("data").getJsonArray("result").isEmpty()) {
        problems.add(q.where() + ": no data for " + q.promql());
      }
    }
    return problems;
  }
}
