package dev.hachat.systemtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The shipped example {@code deploy/prometheus/prometheus.yml} made to scrape a test's processes:
 * its jobs, paths and labels as they are, its targets replaced by the live ones, the shipped rules
 * file by its absolute path, and scrape and evaluation every second (the shipped {@code for:}
 * durations stay as they are). So the live test proves the configuration an operator starts from.
 */
final class PrometheusConfig {
  static final Path DIR = InstanceProcess.home().resolve("deploy/prometheus");
  static final Path EXAMPLE = DIR.resolve("prometheus.yml");
  static final Path RULES = DIR.resolve("hachat-rules.yml");
  static final String INSTANCE_JOB = "hachat-instance";
  static final String WEBAPI_JOB = "hachat-webapi";

  private final Map<String, Map<String, String>> targets = new LinkedHashMap<>();

  /** Scrape {@code hostPort} in {@code job}, labelled {@code instance=<id>}. */
  PrometheusConfig target(String job, String id, String hostPort) {
    targets.computeIfAbsent(job, j -> new LinkedHashMap<>()).put(id, hostPort);
    return this;
  }

  /** Every instance's admin port and every web API server's port of a cluster. */
  static PrometheusConfig of(ClusterExtension cluster) {
    PrometheusConfig c = new PrometheusConfig();
    for (InstanceProcess p : cluster.group().processes()) {
      c.target(INSTANCE_JOB, p.instanceId(), "127.0.0.1:" + p.adminPort());
    }
    for (WebApiProcess g : cluster.webApis()) {
      c.target(WEBAPI_JOB, g.id(), "127.0.0.1:" + g.port());
    }
    return c;
  }

  /** The configuration text. */
  String yaml() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = (ObjectNode) yaml.readTree(EXAMPLE.toFile());
    ObjectNode global = (ObjectNode) root.get("global");
    global.put("scrape_interval", "1s");
    global.put("scrape_timeout", "1s");
    global.put("evaluation_interval", "1s");
    root.putArray("rule_files").add(RULES.toString());
    for (var job : root.withArray("scrape_configs")) {
      String name = job.get("job_name").asText();
      Map<String, String> live = targets.get(name);
      if (live == null) {
        throw new IllegalStateException("no live targets for job " + name + " of " + EXAMPLE);
      }
      ArrayNode statics = ((ObjectNode) job).putArray("static_configs");
      live.forEach(
          (id, hostPort) -> {
            ObjectNode s = statics.addObject();
            s.putArray("targets").add(hostPort);
            s.putObject("labels").put("instance", id);
          });
    }
    return yaml.writeValueAsString(root);
  }
}
