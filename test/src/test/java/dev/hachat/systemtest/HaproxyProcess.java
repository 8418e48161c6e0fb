package dev.hachat.systemtest;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy ({@code /usr/sbin/haproxy}, see {@link OpsTools}) running the shipped {@code
 * deploy/haproxy/haproxy.cfg} unchanged, in the foreground ({@code -db}: one process, no daemon),
 * its log on stdout copied to {@code test/target/instance-logs/<name>.log}. The file takes what an
 * installation changes from environment variables; the test sets only its own: the bind and stats
 * ports (free ports on 127.0.0.1), the web API servers' addresses, the stats socket, the log
 * target, maxconn (this machine's descriptor limit), and whatever the caller adds (check
 * intervals). As root it runs as shipped (chroot, user haproxy); otherwise unprivileged.
 *
 * <p>Ready once its stats page answers; closing it kills the process by PID.
 */
final class HaproxyProcess implements AutoCloseable {
  static final String BINARY = "/usr/sbin/haproxy";
  private static final Duration READY_WITHIN = Duration.ofSeconds(20);

  private final Process process;
  private final int port;
  private final int statsPort;
  private final HttpClient http = HttpClient.newHttpClient();

  private HaproxyProcess(Process process, int port, int statsPort) {
    this.process = process;
    this.port = port;
    this.statsPort = statsPort;
  }

  static Path shippedConfig() {
    return InstanceProcess.home().resolve("deploy/haproxy/haproxy.cfg");
  }

  /**
   * The environment of a test run in front of {@code webApiPorts} (gms1, gms2 …), plus {@code
   * extra}; the bind and stats ports are added by {@link #start}.
   */
  static Map<String, String> environment(String name, List<Integer> webApiPorts)
      throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (int i = 0; i < webApiPorts.size(); i++) {
      env.put("HACHAT_GMS" + (i + 1), "127.0.0.1:" + webApiPorts.get(i));
    }
    Path dir = InstanceProcess.home().resolve("test/target/haproxy");
    Files.createDirectories(dir);
    env.put("HACHAT_LB_SOCKET", dir.resolve(name + ".sock").toString());
    env.put("HACHAT_LB_LOG", "stdout");
    env.put("HACHAT_LB_MAXCONN", "2000");
    if (!"root".equals(ProcessHandle.current().info().user().orElse(""))) {
      env.put("HACHAT_LB_UNPRIVILEGED", "1");
    }
    return env;
  }

  /** {@code haproxy -c -f} of the shipped file under {@code env}: exit code and output. */
  static CheckResult check(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(BINARY, "-c", "-f", shippedConfig().toString())
            .redirectErrorStream(true);
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("haproxy -c did not end within 30 s:\n" + out);
    }
    return new CheckResult(p.exitValue(), out);
  }

  record CheckResult(int exitCode, String output) {}

  /** Starts HAProxy with {@code env} on two free ports; tries new ports if one was taken. */
  static HaproxyProcess start(String name, Map<String, String> env)
      throws IOException, InterruptedException {
    Path log = InstanceProcess.home().resolve("test/target/instance-logs/" + name + ".log");
    Files.createDirectories(log.getParent());
    for (int attempt = 1; ; attempt++) {
      int port = freePort();
      int statsPort = freePort();
      ProcessBuilder pb =
          new ProcessBuilder(BINARY, "-db", "-f", shippedConfig().toString())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      pb.environment().putAll(env);
      pb.environment().put("HACHAT_LB_BIND", "127.0.0.1:" + port);
      pb.environment().put("HACHAT_LB_STATS_BIND", "127.0.0.1:" + statsPort);
      HaproxyProcess h = new HaproxyProcess(pb.start(), port, statsPort);
      if (h.awaitReady()) {
        return h;
      }
      h.close();
      if (attempt == 3) {
        throw new IllegalStateException(
            "haproxy did not start (3 attempts); its output: " + Files.readString(log));
      }
    }
  }

  private boolean awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      try {
        stats();
        return true;
      } catch (IOException notYet) {
        TimeUnit.MILLISECONDS.sleep(50);
      }
    }
    return false;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** The port clients connect to (127.0.0.1). */
  int port() {
    return port;
  }

  /** The stats page's port (127.0.0.1). */
  int statsPort() {
    return statsPort;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Every row of the stats page's CSV, as column name → value. */
  List<Map<String, String>> stats() throws IOException, InterruptedException {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + statsPort + "/stats;csv;norefresh"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException("stats page answered " + r.statusCode());
    }
    String[] lines = r.body().split("\n");
    String[] names = lines[0].replaceFirst("^# ", "").split(",", -1);
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      if (lines[i].isBlank()) {
        continue;
      }
      String[] values = lines[i].split(",", -1);
      Map<String, String> row = new LinkedHashMap<>();
      for (int k = 0; k < names.length && k < values.length; k++) {
        row.put(names[k], values[k]);
      }
      rows.add(row);
    }
    return rows;
  }

  /** The stats row of {@code server} in {@code backend} ({@code BACKEND} for the total). */
  Map<String, String> row(String backend, String server) throws IOException, InterruptedException {
    return stats().stream()
        .filter(r -> backend.equals(r.get("pxname")) && server.equals(r.get("svname")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no stats row " + backend + "/" + server));
  }

  /** A server's state as HAProxy sees it: UP, DOWN, "UP 1/2" (going down) … */
  String status(String backend, String server) throws IOException, InterruptedException {
    return row(backend, server).get("status");
  }

  /** A counter of a stats row as a number (0 when empty). */
  long counter(String backend, String server, String column)
      throws IOException, InterruptedException {
    String v = row(backend, server).get(column);
    return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
  }

  /** Kills HAProxy by PID (SIGKILL) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
