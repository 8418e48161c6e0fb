package dev.hachat.systemtest;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Prometheus ({@code /usr/bin/prometheus}, see {@link OpsTools}) as an OS process: its own
 * configuration and TSDB in a temporary directory, its web port a free one on 127.0.0.1, its output
 * in {@code test/target/instance-logs/prometheus.log}. {@link #close()} kills it by PID and deletes
 * the directory; a shutdown hook does the same if the JVM ends first. Blocking; for test threads.
 */
final class PrometheusServer implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/bin/prometheus");
  private static final Duration READY_WITHIN = Duration.ofSeconds(60);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final Process process;
  private final Path dir;
  private final int port;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Thread reaper = new Thread(this::destroy, "prometheus-reaper");

  private PrometheusServer(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
    Runtime.getRuntime().addShutdownHook(reaper);
  }

  /**
   * Writes {@code configYaml} as {@code prometheus.yml} in a new temporary directory, starts
   * Prometheus on it and waits until {@code /-/ready} answers 200. A port another process took in
   * the meantime is retried with another.
   */
  static PrometheusServer start(String configYaml) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("hachat-prometheus-");
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, configYaml);
    Path log = InstanceProcess.home().resolve("test/target/instance-logs/prometheus.log");
    Files.createDirectories(log.getParent());
    Files.deleteIfExists(log); // this run's attempts only
    IllegalStateException last = null;
    for (int attempt = 1; attempt <= 3; attempt++) {
      int port = freePort();
      Process p =
          new ProcessBuilder(
                  BINARY.toString(),
                  "--config.file=" + config,
                  "--storage.tsdb.path=" + dir.resolve("data"),
                  "--web.listen-address=127.0.0.1:" + port,
                  "--log.level=info")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      PrometheusServer s = new PrometheusServer(p, dir, port);
      try {
        s.awaitReady();
        System.out.printf("prometheus pid %d on 127.0.0.1:%d, data in %s%n", p.pid(), port, dir);
        return s;
      } catch (IllegalStateException e) {
        s.stopProcess(); // e.g. the port was taken in the meantime: another one
        s.removeReaper();
        last = e;
      }
    }
    deleteTree(dir);
    throw last;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_WITHIN.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "prometheus exited with " + process.exitValue() + "; see its log");
      }
      try {
        if (get("/-/ready").statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    throw new IllegalStateException("prometheus not ready within " + READY_WITHIN);
  }

  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  /** {@code GET path} (with its query string) on the web port. */
  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(REQUEST_TIMEOUT)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * An instant query through {@code /api/v1/query}: Prometheus's whole answer ({@code status},
   * {@code data.result} or {@code errorType}/{@code error} for one it cannot parse or run).
   */
  JsonObject query(String promql) throws IOException, InterruptedException {
    return new JsonObject(
        get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).body());
  }

  /** The result vector of an instant query that must succeed. */
  JsonArray vector(String promql) throws IOException, InterruptedException {
    JsonObject answer = query(promql);
    if (!"success".equals(answer.getString("status"))) {
      throw new IllegalStateException("query " + promql + " failed: " + answer.encode());
    }
    return answer.getJsonObject("data").getJsonArray("result");
  }

  /** Every alert pending or firing now ({@code /api/v1/alerts}). */
  List<JsonObject> alerts() throws IOException, InterruptedException {
    return new JsonObject(get("/api/v1/alerts").body())
        .getJsonObject("data").getJsonArray("alerts").stream().map(JsonObject.class::cast).toList();
  }

  /** The state ({@code pending}, {@code firing}) of alert {@code name} for {@code instance}. */
  String alertState(String name, String instance) throws IOException, InterruptedException {
    return alerts().stream()
        .filter(a -> name.equals(a.getJsonObject("labels").getString("alertname")))
        .filter(a -> instance.equals(a.getJsonObject("labels").getString("instance")))
        .map(a -> a.getString("state"))
        .findFirst()
        .orElse("inactive");
  }

  /** How many of the active scrape targets are up now ({@code /api/v1/targets}). */
  long targetsUp() throws IOException, InterruptedException {
    return new JsonObject(get("/api/v1/targets?state=active").body())
        .getJsonObject("data").getJsonArray("activeTargets").stream()
            .map(JsonObject.class::cast)
            .filter(t -> "up".equals(t.getString("health")))
            .count();
  }

  @Override
  public void close() throws InterruptedException {
    stopProcess();
    deleteTree(dir);
    removeReaper();
  }

  private void removeReaper() {
    try {
      Runtime.getRuntime().removeShutdownHook(reaper);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the reaper runs anyway
    }
  }

  private void stopProcess() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy(); // SIGTERM: Prometheus closes its TSDB
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
  }

  private void destroy() {
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    deleteTree(dir);
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
