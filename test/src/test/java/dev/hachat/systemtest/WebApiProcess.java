package dev.hachat.systemtest;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A web API server (GMS Chat API v2) started from its packaged jar as an OS process on a free port;
 * closing it kills the process by PID if it still runs.
 */
public final class WebApiProcess extends PortProcess {
  private static final Pattern READY = Pattern.compile("HACHAT WEBAPI READY id=(\\S+) port=(\\d+)");

  private WebApiProcess(Process process, String id, int port) {
    super(process, id, port);
  }

  public static java.nio.file.Path jar() {
    return InstanceProcess.home().resolve("webapi/target/webapi-0.1.0-SNAPSHOT-all.jar");
  }

  /** The properties that point a web API server at the shared Cassandra node and a keyspace. */
  static Map<String, String> cassandraProperties(String keyspace) throws Exception {
    Map<String, String> p = new java.util.LinkedHashMap<>();
    SharedCassandra.instanceProperties(keyspace)
        .forEach((k, v) -> p.put("gms." + k.substring("hachat.".length()), v));
    return p;
  }

  /**
   * Starts one; {@code properties} are {@code gms.*} options (the store of the instance registry,
   * routing timeouts).
   */
  public static WebApiProcess start(String id, Map<String, String> properties)
      throws IOException, InterruptedException {
    return start(id, properties, null);
  }

  /**
   * As {@link #start(String, Map)}, reading the YAML file {@code config} first (maps such as {@code
   * services} have no property form); null: none.
   */
  public static WebApiProcess start(
      String id, Map<String, String> properties, java.nio.file.Path config)
      throws IOException, InterruptedException {
    return start(id, properties, config, List.of());
  }

  /** As {@link #start(String, Map, java.nio.file.Path)}, the command behind {@code prefix}. */
  public static WebApiProcess start(
      String id, Map<String, String> properties, java.nio.file.Path config, List<String> prefix)
      throws IOException, InterruptedException {
    // Load and failover tests open thousands of chats from 127.0.0.1; the per-address limit has
    // its own test (GmsEdgeTest), so it is out of the way here unless a test sets it.
    List<String> options =
        List.of(
            "-Dgms.id=" + id,
            "-Dgms.http.port=0",
            "-Dgms.edge.new-chats-per-minute=10000000",
            "-Dgms.edge.new-chats-burst=1000000");
    List<String> cmd = new java.util.ArrayList<>(prefix);
    cmd.addAll(command(jar(), options, properties, config));
    ProcessLauncher.Started s = ProcessLauncher.launch(cmd, id, READY);
    return new WebApiProcess(s.process(), s.ready().group(1), Integer.parseInt(s.ready().group(2)));
  }
}
