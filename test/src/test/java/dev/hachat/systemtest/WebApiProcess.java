package dev.hachat.systemtest;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A web API server (GMS Chat API v2) started from its packaged jar as an OS process on a free port;
 * closing it kills the process by PID if it still runs.
 */
public final class WebApiProcess implements AutoCloseable {
  private static final Pattern READY = Pattern.compile("HACHAT WEBAPI READY id=(\\S+) port=(\\d+)");

  private final Process process;
  private final String id;
  private final int port;

  private WebApiProcess(Process process, String id, int port) {
    this.process = process;
    this.id = id;
    this.port = port;
  }

  public static java.nio.file.Path jar() {
    return InstanceProcess.home().resolve("webapi/target/webapi-0.1.0-SNAPSHOT-all.jar");
  }

  /**
   * Starts one; {@code properties} are {@code gms.*} options (the store of the instance registry,
   * routing timeouts).
   */
  /** The properties that point a web API server at the shared Cassandra node and a keyspace. */
  static Map<String, String> cassandraProperties(String keyspace) throws Exception {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    SharedCassandra.instanceProperties(keyspace)
        .forEach((k, v) -> p.put("gms." + k.substring("hachat.".length()), v));
    return p;
  }

  public static WebApiProcess start(String id, Map<String, String> properties)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(InstanceProcess.javaBin());
    cmd.add("-Xmx256m");
    cmd.add("-Dgms.id=" + id);
    cmd.add("-Dgms.http.port=0");
    // Load and failover tests open thousands of chats from 127.0.0.1; the per-address limit has
    // its own test (GmsEdgeTest), so it is out of the way here unless a test sets it.
    cmd.add("-Dgms.edge.new-chats-per-minute=10000000");
    cmd.add("-Dgms.edge.new-chats-burst=1000000");
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-jar", jar().toString()));
    ProcessLauncher.Started s = ProcessLauncher.launch(cmd, id, READY);
    return new WebApiProcess(s.process(), s.ready().group(1), Integer.parseInt(s.ready().group(2)));
  }

  public String id() {
    return id;
  }

  public int port() {
    return port;
  }

  public long pid() {
    return process.pid();
  }

  /** SIGKILL (kill -9) by PID, then waits for the process to end. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
