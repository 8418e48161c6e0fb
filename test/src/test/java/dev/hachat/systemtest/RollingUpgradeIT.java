package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code hachatctl rolling-upgrade} against real processes (Cassandra, 3 instances, 2 web API
 * servers) with security on (accounts, peer tokens, TLS on every port) while 100 customers and
 * their agents chat without pause: every instance is disabled, drained (short deadline, then
 * evacuated), stopped by SIGTERM, started again from the jar (the "new build") on its ports, and
 * enabled, each admin call over HTTPS with the operator's credential. The command exits 0; no
 * customer request fails, nothing is lost or doubled, every chat is still open.
 */
@Tag("system")
class RollingUpgradeIT {
  static final int CHATS = 100;
  private static final Pattern STARTED = Pattern.compile("\\[(\\S+)\\] started pid=(\\d+)");
  private static final Pattern EVACUATED = Pattern.compile("evacuated (\\d+) chats");

  static final Secured SECURED = Secured.create(true);

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("rolling_it")
          .instances(3)
          .webApiServers(2)
          .secured(SECURED)
          .build();

  final List<Long> startedPids = new ArrayList<>();

  /** The command the script runs to start one instance: the same options, its own ports. */
  private String startTemplate() {
    StringBuilder b = new StringBuilder(InstanceProcess.javaBin());
    InstanceProcess.testJvmFlags().forEach(f -> b.append(' ').append(f));
    b.append(" -Xmx256m");
    b.append(" -Dhachat.instance-id={id} -Dhachat.webapi.port={webapi-port}")
        .append(" -Dhachat.esp.port={esp-port} -Dhachat.admin.port={admin-port}")
        .append(" -Dhachat.ucs.enabled=false");
    // As InstanceProcess starts them: the load's rates above a person's (LoadLimits).
    for (Map.Entry<String, String> e :
        dev.hachat.testing.LoadLimits.withDefaults(cluster.instanceProperties()).entrySet()) {
      b.append(" -D").append(e.getKey()).append('=').append(e.getValue());
    }
    return b.append(" -jar ").append(InstanceProcess.jar()).toString();
  }

  @Test
  void upgrades_every_instance_while_customers_chat_with_nothing_lost() throws Exception {
    ChattingLoad load = new ChattingLoad(cluster, CHATS);
    load.start();
    load.awaitRounds(2, 120);

    Path home = InstanceProcess.home();
    List<String> cmd =
        List.of(
            "bash",
            home.resolve("scripts/hachatctl").toString(),
            "rolling-upgrade",
            "--admin",
            "127.0.0.1:" + cluster.instance(0).adminPort(),
            "--tls-trust-file",
            SECURED.ca().toString(),
            "--start",
            startTemplate(),
            "--drain-deadline",
            "2s",
            "--log-dir",
            home.resolve("test/target/instance-logs/rolling").toString());
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    // the operator's credential from the environment, as a script would pass it
    pb.environment().put("HACHATCTL_USER", Secured.OPERATOR);
    pb.environment().put("HACHATCTL_PASSWORD_FILE", SECURED.operatorPasswordFile().toString());
    long t0 = System.nanoTime();
    Process script = pb.start();
    CompletableFuture<List<String>> output =
        CompletableFuture.supplyAsync(
            () -> {
              List<String> lines = new ArrayList<>();
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(script.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  System.out.println("hachatctl rolling-upgrade| " + line);
                  lines.add(line);
                  Matcher m = STARTED.matcher(line);
                  if (m.find()) {
                    long pid = Long.parseLong(m.group(2));
                    cluster.adopt(pid); // killed with the cluster, whatever happens here
                    synchronized (startedPids) {
                      startedPids.add(pid);
                    }
                  }
                }
              } catch (java.io.IOException e) {
                // the script ended
              }
              return lines;
            });
    boolean ended = script.waitFor(5, TimeUnit.MINUTES);
    if (!ended) {
      script.destroyForcibly();
    }
    long upgradeMs = (System.nanoTime() - t0) / 1_000_000;
    List<String> lines = output.get(10, TimeUnit.SECONDS);
    assertThat(ended).as("hachatctl ended").isTrue();
    assertThat(script.exitValue()).as("hachatctl exit code; output:%n%s", lines).isZero();
    assertThat(startedPids).as("instances started again").hasSize(3);

    load.awaitRounds(2, 120); // chats go on on the new processes
    load.stopAndVerify();
    long evacuated = 0;
    for (String l : lines) {
      Matcher m = EVACUATED.matcher(l);
      if (m.find()) {
        evacuated += Long.parseLong(m.group(1));
      }
    }
    System.out.printf(
        "ROLLING UPGRADE RESULT chats=%d instances=3 upgrade_ms=%d evacuated=%d acked=%d"
            + " failed_requests=%d lost=0 dup=0 open=%d exit=0 security=on tls=on%n",
        CHATS, upgradeMs, evacuated, load.acknowledged(), load.failedRequests(), CHATS);
  }
}
