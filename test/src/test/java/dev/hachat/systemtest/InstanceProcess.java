package dev.hachat.systemtest;

import dev.hachat.testing.LoadLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat-server instance started from the packaged jar as its own OS process, with every port 0
 * (free ports), its output captured to {@code test/target/instance-logs/<id>.log}. Closing it kills
 * the process by PID if it still runs.
 */
public final class InstanceProcess implements AutoCloseable {
  private static final Pattern READY =
      Pattern.compile("HACHAT READY instance=(\\S+) webapi=(\\d+) esp=(\\d+) admin=(\\d+)");

  private final Process process;
  private final String instanceId;
  private final int webapiPort;
  private final int espPort;
  private final int adminPort;

  private InstanceProcess(Process process, Matcher ready) {
    this.process = process;
    this.instanceId = ready.group(1);
    this.webapiPort = Integer.parseInt(ready.group(2));
    this.espPort = Integer.parseInt(ready.group(3));
    this.adminPort = Integer.parseInt(ready.group(4));
  }

  public static Path home() {
    return Path.of(System.getProperty("hachat.home", "..")).toAbsolutePath().normalize();
  }

  public static Path jar() {
    return home().resolve("chat-server/target/chat-server-0.1.0-SNAPSHOT-all.jar");
  }

  /** Starts an instance and waits for its READY line (see {@link ProcessLauncher}). */
  public static InstanceProcess start(String instanceId, Map<String, String> properties)
      throws IOException, InterruptedException {
    return start(instanceId, properties, List.of("-Xmx256m"));
  }

  /** Like {@link #start(String, Map)} with these JVM options (heap size, GC) instead. */
  public static InstanceProcess start(
      String instanceId, Map<String, String> properties, List<String> jvmOptions)
      throws IOException, InterruptedException {
    return start(instanceId, properties, jvmOptions, instanceId);
  }

  /**
   * Like {@link #start(String, Map, List)}, with the output in {@code <logName>.log} (an instance
   * restarted under the same id keeps its earlier log).
   */
  public static InstanceProcess start(
      String instanceId, Map<String, String> properties, List<String> jvmOptions, String logName)
      throws IOException, InterruptedException {
    return start(instanceId, properties, jvmOptions, logName, List.of());
  }

  /**
   * Like {@link #start(String, Map, List, String)}, the command behind {@code prefix} (e.g. {@code
   * ip netns exec NS}, which execs the JVM: the PID stays the instance's).
   */
  public static InstanceProcess start(
      String instanceId,
      Map<String, String> properties,
      List<String> jvmOptions,
      String logName,
      List<String> prefix)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(javaBin());
    cmd.addAll(testJvmFlags());
    cmd.addAll(jvmOptions);
    cmd.add("-Dhachat.instance-id=" + instanceId);
    cmd.add("-Dhachat.webapi.port=0");
    cmd.add("-Dhachat.esp.port=0");
    cmd.add("-Dhachat.admin.port=0");
    if (!properties.containsKey("hachat.store.type")) {
      cmd.add("-Dhachat.store.type=memory");
    }
    if (!properties.containsKey("hachat.ucs.enabled")) {
      cmd.add("-Dhachat.ucs.enabled=false"); // tests about UCS turn it on with a PostgreSQL
    }
    // System tests drive instances as load generators; a test of the limits sets its own.
    LoadLimits.withDefaults(properties).forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-jar", jar().toString()));
    ProcessLauncher.Started s = ProcessLauncher.launch(cmd, logName, READY);
    return new InstanceProcess(s.process(), s.ready());
  }

  /**
   * JVM flags every process a system test starts gets first: {@code hachat.test.jvm-flags} (set by
   * test/pom.xml for the system tests: C1 only, serial GC, which shortens start-ups on 2 busy
   * cores); empty for the benchmarks, whose processes run as in production.
   */
  static List<String> testJvmFlags() {
    String flags = System.getProperty("hachat.test.jvm-flags", "").trim();
    return flags.isEmpty() ? List.of() : List.of(flags.split("\\s+"));
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  public long pid() {
    return process.pid();
  }

  public String instanceId() {
    return instanceId;
  }

  public int webapiPort() {
    return webapiPort;
  }

  public int espPort() {
    return espPort;
  }

  public int adminPort() {
    return adminPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** SIGTERM, then waits; returns the exit code. */
  public int stop() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    return process.exitValue();
  }

  /** Sends SIGTERM and returns at once (a second one may follow; see {@link #stop()}). */
  public void sigterm() throws IOException, InterruptedException {
    signal("TERM");
  }

  /** Waits up to {@code seconds} for the process to end; its exit code, or -1 if it did not. */
  public int awaitExit(long seconds) throws InterruptedException {
    return process.waitFor(seconds, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }

  /** SIGKILL (kill -9), then waits. */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(10, TimeUnit.SECONDS);
    return process.exitValue();
  }

  /** SIGSTOP: the process freezes (a long GC pause, a VM stall) without its sockets closing. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT: a paused process runs on from where it stopped. */
  public void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String name) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      throw new IllegalStateException("kill -" + name + " " + process.pid() + " failed");
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      try {
        resume(); // a paused process must be able to die
      } catch (IOException | IllegalStateException e) {
        // it is gone already
      }
      kill();
    }
  }
}
