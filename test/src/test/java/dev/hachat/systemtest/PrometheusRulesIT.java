package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped Prometheus rules ({@code deploy/prometheus/}) through the real {@code promtool}
 * (Debian's, installed when missing): they parse, the example configuration parses, their unit
 * tests pass, every alert has a unit test that sees it fire and one that sees it quiet and a
 * runbook entry in docs/monitoring.md, and a misspelt metric makes the unit tests fail.
 */
@Tag("system")
class PrometheusRulesIT {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final Path TESTS = PrometheusConfig.DIR.resolve("tests");

  @BeforeAll
  static void installPromtool() throws Exception {
    OpsTools.install("prometheus");
  }

  /** promtool's exit code and everything it printed. */
  record Run(int exit, String output) {}

  static Run promtool(Path workDir, List<String> args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(PROMTOOL.toString()));
    cmd.addAll(args);
    Path log = Files.createTempFile("promtool-", ".log");
    try {
      Process p =
          new ProcessBuilder(cmd)
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      boolean done = p.waitFor(60, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      String out = Files.readString(log);
      if (!done) {
        throw new AssertionError("promtool " + args + " did not end within 60 s:\n" + out);
      }
      return new Run(p.exitValue(), out);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  /** The unit test files, relative to {@code dir}. */
  private static List<String> testFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("tests"))) {
      return files
          .filter(f -> f.toString().endsWith(".yml"))
          .map(f -> dir.relativize(f).toString())
          .sorted()
          .toList();
    }
  }

  private static void assertPasses(Run run, String what) {
    assertThat(run.exit()).as("%s exit code; promtool said:%n%s", what, run.output()).isZero();
  }

  @Test
  void rules_and_example_config_pass_promtool_check() throws Exception {
    Run rules = promtool(PrometheusConfig.DIR, List.of("check", "rules", "hachat-rules.yml"));
    assertPasses(rules, "promtool check rules");
    Run config = promtool(PrometheusConfig.DIR, List.of("check", "config", "prometheus.yml"));
    assertPasses(config, "promtool check config");
    System.out.print(rules.output());
  }

  @Test
  void rules_pass_their_promtool_unit_tests() throws Exception {
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    args.addAll(testFiles(PrometheusConfig.DIR));
    Run run = promtool(PrometheusConfig.DIR, args);
    assertPasses(run, "promtool test rules");
    System.out.print(run.output());
  }

  @Test
  void every_alert_is_tested_firing_and_quiet_and_has_a_runbook() throws Exception {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    Set<String> alerts = new TreeSet<>();
    for (JsonNode group : yaml.readTree(PrometheusConfig.RULES.toFile()).get("groups")) {
      for (JsonNode rule : group.get("rules")) {
        if (rule.has("alert")) {
          alerts.add(rule.get("alert").asText());
        }
      }
    }
    Set<String> firing = new TreeSet<>();
    Set<String> quiet = new TreeSet<>();
    for (String file : testFiles(PrometheusConfig.DIR)) {
      for (JsonNode test :
          yaml.readTree(PrometheusConfig.DIR.resolve(file).toFile()).get("tests")) {
        for (JsonNode check : test.path("alert_rule_test")) {
          String name = check.get("alertname").asText();
          (check.path("exp_alerts").isEmpty() ? quiet : firing).add(name);
        }
      }
    }
    String runbook = Files.readString(InstanceProcess.home().resolve("docs/monitoring.md"));
    assertThat(alerts).as("alerts in the rules").hasSizeGreaterThanOrEqualTo(10);
    for (String alert : alerts) {
      assertThat(firing).as("a unit test where %s fires", alert).contains(alert);
      assertThat(quiet).as("a unit test where %s stays quiet", alert).contains(alert);
      assertThat(runbook).as("a runbook heading for %s", alert).contains("\n### " + alert + "\n");
    }
    System.out.printf("%d alerts, each tested firing and quiet: %s%n", alerts.size(), alerts);
  }

  @Test
  void a_misspelt_metric_fails_the_unit_tests_and_bad_promql_fails_the_check(@TempDir Path tmp)
      throws Exception {
    Files.createDirectories(tmp.resolve("tests"));
    for (String file : testFiles(PrometheusConfig.DIR)) {
      Files.copy(PrometheusConfig.DIR.resolve(file), tmp.resolve(file));
    }
    String rules = Files.readString(PrometheusConfig.RULES);
    String good = "expr: hachat_store_available == 0";
    assertThat(rules).contains(good);
    Files.writeString(
        tmp.resolve("hachat-rules.yml"), rules.replace(good, "expr: hachat_store_availble == 0"));
    List<String> args = new ArrayList<>(List.of("test", "rules"));
    args.addAll(testFiles(tmp));
    Run misspelt = promtool(tmp, args);
    assertThat(misspelt.exit()).as("exit code with a misspelt metric").isNotZero();
    assertThat(misspelt.output()).contains("FAILED").contains("HachatStoreUnavailable");

    Files.writeString(
        tmp.resolve("hachat-rules.yml"), rules.replace(good, "expr: hachat_store_available =="));
    Run broken = promtool(tmp, List.of("check", "rules", "hachat-rules.yml"));
    assertThat(broken.exit()).as("exit code of check rules with broken PromQL").isNotZero();
    assertThat(broken.output()).contains("parse error");
    System.out.printf(
        "misspelt metric: promtool test rules exit %d; broken PromQL: check rules exit %d%n",
        misspelt.exit(), broken.exit());
  }
}
