package dev.hachat.systemtest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts a Java process, copies its output to {@code test/target/instance-logs/<name>.log}, and
 * waits for the line that says it is ready; kills it by PID if that never comes. The wait is 180 s
 * by default ({@code -Dhachat.test.ready-timeout-seconds}): the first instance on a fresh
 * three-node Cassandra applies the schema, and every DDL statement waits for schema agreement,
 * which on a loaded two-core CI machine has taken more than a minute.
 */
final class ProcessLauncher {
  private static final long READY_TIMEOUT_SECONDS =
      Long.getLong("hachat.test.ready-timeout-seconds", 180);
  private static final int TAIL_LINES = 30;

  private ProcessLauncher() {}

  /** A started process and the match of its ready line. */
  record Started(Process process, Matcher ready) {}

  static Started launch(List<String> cmd, String name, Pattern ready)
      throws IOException, InterruptedException {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    Path logs = InstanceProcess.home().resolve("test/target/instance-logs");
    Files.createDirectories(logs);
    PrintWriter log = new PrintWriter(Files.newBufferedWriter(logs.resolve(name + ".log")), true);
    CompletableFuture<Matcher> readyLine = new CompletableFuture<>();
    Thread pump =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  log.println(line);
                  Matcher m = ready.matcher(line);
                  if (m.find()) {
                    readyLine.complete(m);
                  }
                }
              } catch (IOException e) {
                // the process ended
              } finally {
                log.close();
                readyLine.completeExceptionally(
                    new IllegalStateException(name + " exited before it was ready; see its log"));
              }
            },
            "log-" + name);
    pump.setDaemon(true);
    pump.start();
    try {
      return new Started(p, readyLine.get(READY_TIMEOUT_SECONDS, TimeUnit.SECONDS));
    } catch (Exception e) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new IllegalStateException(
          name
              + " did not become ready within "
              + READY_TIMEOUT_SECONDS
              + " s; the end of its log:\n"
              + tail(logs.resolve(name + ".log")),
          e);
    }
  }

  /** The last lines of a log, for a failure message that explains itself in CI output. */
  private static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
