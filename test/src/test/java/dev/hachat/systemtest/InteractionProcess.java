package dev.hachat.systemtest;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * An interaction server (queues, push routing, the agent API) started from its packaged jar as an
 * OS process on a free port: its {@link #port()} serves the agent API (WebSocket {@code /agent}),
 * {@code /health} and {@code /metrics}. Closing it kills the process by PID if it still runs.
 */
public final class InteractionProcess extends PortProcess {
  private static final Pattern READY =
      Pattern.compile("HACHAT INTERACTION READY id=(\\S+) port=(\\d+)");

  private InteractionProcess(Process process, String id, int port) {
    super(process, id, port);
  }

  public static Path jar() {
    return InstanceProcess.home().resolve("interaction/target/interaction-0.1.0-SNAPSHOT-all.jar");
  }

  /**
   * Starts one and waits for its READY line; {@code properties} are {@code ixn.*} options (the
   * store of the instance registry, routing), {@code config} a YAML file read first (maps such as
   * {@code agents} have no property form), or null.
   */
  public static InteractionProcess start(String id, Map<String, String> properties, Path config)
      throws IOException, InterruptedException {
    List<String> cmd =
        command(jar(), List.of("-Dixn.id=" + id, "-Dixn.http.port=0"), properties, config);
    ProcessLauncher.Started s = ProcessLauncher.launch(cmd, id, READY);
    return new InteractionProcess(
        s.process(), s.ready().group(1), Integer.parseInt(s.ready().group(2)));
  }
}
