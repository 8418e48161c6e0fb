package dev.hachat.systemtest;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server process of the system tests with one port of interest ({@link WebApiProcess}, {@link
 * InteractionProcess}): its id, its port, and kill -9 by PID. Closing it kills it if it still runs.
 */
abstract class PortProcess implements AutoCloseable {
  private final Process process;
  private final String id;
  private final int port;

  PortProcess(Process process, String id, int port) {
    this.process = process;
    this.id = id;
    this.port = port;
  }

  /**
   * The command line of {@code jar} with a 256 MB heap, {@code options}, then {@code properties}
   * (system properties: they win over the options) and {@code --config config} (null: none).
   */
  static List<String> command(
      Path jar, List<String> options, Map<String, String> properties, Path config) {
    List<String> cmd = new ArrayList<>();
    cmd.add(InstanceProcess.javaBin());
    cmd.addAll(InstanceProcess.testJvmFlags());
    cmd.add("-Xmx256m");
    cmd.addAll(options);
    properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-jar", jar.toString()));
    if (config != null) {
      cmd.addAll(List.of("--config", config.toString()));
    }
    return cmd;
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

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL (kill -9) by PID, then waits for the process to end. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }
}
