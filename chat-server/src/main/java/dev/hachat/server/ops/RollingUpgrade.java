package dev.hachat.server.ops;

import dev.hachat.store.InstanceRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The rolling upgrade behind {@code scripts/rolling-upgrade} (docs/operations.md): for each
 * instance in turn, disable → drain (deadline) → evacuate the rest → stop (SIGTERM to the PID its
 * {@code /health} reports; a clean stop leaves the registry) → start the new build → wait healthy
 * and seen by the others → enable. Prints progress; stops at the first failure with exit code 1.
 *
 * <p>A command-line procedure on its own thread: it blocks between steps, on purpose.
 */
@Command(
    name = "rolling-upgrade",
    mixinStandardHelpOptions = true,
    description = "Upgrades every chat-server instance in turn with no chat interrupted.")
public final class RollingUpgrade implements Callable<Integer> {
  @Option(
      names = "--cluster",
      description =
          "Admin address (host:port) of any instance; the others are read from its GET"
              + " /cluster.")
  String cluster;

  @Option(
      names = "--admin",
      split = ",",
      description =
          "Admin addresses (host:port) of the instances to upgrade, in this order"
              + " (instead of --cluster).")
  List<String> admins = new ArrayList<>();

  @Option(
      names = "--start",
      required = true,
      description =
          "Command that starts the new build of one instance (run by bash); {id},"
              + " {webapi-port}, {esp-port} and {admin-port} are replaced by the instance's values.")
  String startTemplate;

  @Option(
      names = "--drain-deadline",
      defaultValue = "PT5M",
      description =
          "How long to wait for an instance's chats to end before evacuating them"
              + " (ISO-8601 duration or seconds; default ${DEFAULT-VALUE}).")
  String drainDeadline;

  @Option(
      names = "--log-dir",
      defaultValue = "run/logs",
      description = "Where the started instances write their output (<id>.log, appended).")
  File logDir;

  @Option(
      names = "--stop-timeout",
      defaultValue = "120",
      description = "Seconds to wait for an instance to exit.")
  long stopTimeout;

  @Option(
      names = "--start-timeout",
      defaultValue = "180",
      description = "Seconds to wait for a started instance to be healthy.")
  long startTimeout;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final PrintStream out = System.out;

  /** One instance to upgrade, as the registry describes it. */
  record Target(String id, String admin, String webapi, String esp) {}

  /** A step that did not work out; ends the procedure. */
  static final class StepFailed extends Exception {
    StepFailed(String message) {
      super(message, null, false, false);
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new RollingUpgrade()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try {
      List<Target> targets = targets();
      out.printf("rolling upgrade of %d instances: %s%n", targets.size(), ids(targets));
      for (Target t : targets) {
        upgrade(t, targets);
      }
      out.printf("rolling upgrade done: %s%n", ids(targets));
      return 0;
    } catch (StepFailed e) {
      out.printf("rolling upgrade FAILED: %s%n", e.getMessage());
      return 1;
    }
  }

  private void upgrade(Target t, List<Target> all) throws Exception {
    String p = "[" + t.id() + "] ";
    long drainMs = Deadlines.millis(drainDeadline);
    step(p + "disable", post(t.admin(), "/admin/disable"));
    JsonObject drain = post(t.admin(), "/admin/drain?deadline=" + drainMs / 1000);
    step(p + "drain (deadline " + drainDeadline + ")", drain);
    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMs + 120_000);
    while (true) {
      JsonObject s = get(t.admin(), "/admin/drain");
      JsonObject d = s.getJsonObject("drain", new JsonObject());
      out.printf(
          "%s  %s: %d chats left, oldest %d s%s%n",
          p,
          s.getString("state"),
          s.getInteger("sessions"),
          s.getLong("oldestSessionAgeMs", 0L) / 1000,
          d.containsKey("deadlineInMs")
              ? ", deadline in " + d.getLong("deadlineInMs") / 1000 + " s"
              : "");
      if ("done".equals(d.getString("state")) || "cancelled".equals(d.getString("state"))) {
        break;
      }
      if (System.nanoTime() > until) {
        throw new StepFailed(p + "drain did not end");
      }
      pause(1000);
    }
    JsonObject last = get(t.admin(), "/admin/drain").getJsonObject("lastEvacuation");
    if (last != null) {
      out.printf("%sdrain deadline passed, evacuated: %s%n", p, last.encode());
    }
    JsonObject ev = post(t.admin(), "/admin/evacuate");
    step(p + "evacuate the rest: " + ev.getJsonObject("evacuation", new JsonObject()).encode(), ev);
    if (ev.getInteger("sessions", 0) > 0) {
      throw new StepFailed(p + ev.getInteger("sessions") + " chats could not be handed over");
    }
    long pid = get(t.admin(), "/health").getLong("pid");
    ProcessHandle h =
        ProcessHandle.of(pid).orElseThrow(() -> new StepFailed(p + "no process " + pid));
    out.printf("%sstop: SIGTERM to pid %d%n", p, pid);
    h.destroy();
    try {
      h.onExit().get(stopTimeout, TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new StepFailed(p + "pid " + pid + " did not exit within " + stopTimeout + " s");
    }
    for (Target o : all) {
      if (o != t && listed(o, t.id())) {
        throw new StepFailed(p + "exited without recording its stop (not a clean stop)");
      }
    }
    out.printf("%sstopped cleanly (its last record says stopped)%n", p);
    long newPid = start(t);
    out.printf("%sstarted pid=%d, log %s%n", p, newPid, new File(logDir, t.id() + ".log"));
    awaitHealthy(t, newPid);
    step(p + "enable", post(t.admin(), "/admin/enable"));
    for (Target o : all) {
      if (o != t) {
        awaitSeen(o, t);
      }
    }
    out.printf("%supgraded%n", p);
  }

  private List<Target> targets() throws Exception {
    List<Target> list = new ArrayList<>();
    if (cluster != null) {
      JsonArray instances = get(cluster, "/cluster").getJsonArray("instances");
      for (Object o : instances) {
        JsonObject i = (JsonObject) o;
        if (!i.getBoolean("alive", false)) {
          throw new StepFailed("instance " + i.getString("instanceId") + " is not alive");
        }
        list.add(
            new Target(
                i.getString("instanceId"),
                i.getString("admin"),
                i.getString("webapi"),
                i.getString("esp")));
      }
      list.sort(java.util.Comparator.comparing(Target::id));
    } else {
      for (String a : admins) {
        JsonObject self = get(a, "/cluster").getJsonArray("instances").getJsonObject(0);
        list.add(
            new Target(
                self.getString("instanceId"), a, self.getString("webapi"), self.getString("esp")));
      }
    }
    if (list.size() < 2) {
      throw new StepFailed(
          "a rolling upgrade needs at least two instances (found " + list.size() + ")");
    }
    return list;
  }

  private long start(Target t) throws Exception {
    String cmd =
        startTemplate
            .replace("{id}", t.id())
            .replace("{webapi-port}", port(t.webapi()))
            .replace("{esp-port}", port(t.esp()))
            .replace("{admin-port}", port(t.admin()));
    if (!logDir.isDirectory() && !logDir.mkdirs()) {
      throw new StepFailed("cannot create " + logDir);
    }
    File log = new File(logDir, t.id() + ".log");
    try {
      Process p =
          new ProcessBuilder("bash", "-c", "exec " + cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      return p.pid();
    } catch (IOException e) {
      throw new StepFailed("[" + t.id() + "] could not start: " + e.getMessage());
    }
  }

  private void awaitHealthy(Target t, long pid) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(startTimeout);
    while (System.nanoTime() < until) {
      if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false) == false) {
        throw new StepFailed("[" + t.id() + "] the new process exited; see its log");
      }
      try {
        JsonObject h = get(t.admin(), "/health");
        if ("UP".equals(h.getString("status")) && h.getLong("pid", -1L) == pid) {
          out.printf("[%s] healthy%n", t.id());
          return;
        }
      } catch (StepFailed | IOException e) {
        // not listening yet
      }
      pause(500);
    }
    throw new StepFailed("[" + t.id() + "] not healthy within " + startTimeout + " s");
  }

  /** Waits until {@code observer} sees {@code t} alive and normal (it will take chats). */
  private void awaitSeen(Target observer, Target t) throws Exception {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < until) {
      for (Object o : get(observer.admin(), "/cluster").getJsonArray("instances")) {
        JsonObject i = (JsonObject) o;
        if (t.id().equals(i.getString("instanceId"))
            && i.getBoolean("alive", false)
            && "normal".equals(i.getString("state"))) {
          return;
        }
      }
      pause(250);
    }
    throw new StepFailed("[" + t.id() + "] not seen alive by " + observer.id());
  }

  /**
   * Whether {@code observer} still lists {@code id} as running (a last "stopped" record is not).
   */
  private boolean listed(Target observer, String id) throws Exception {
    for (Object o : get(observer.admin(), "/cluster").getJsonArray("instances")) {
      JsonObject i = (JsonObject) o;
      if (id.equals(i.getString("instanceId"))
          && !InstanceRecord.STOPPED.equals(i.getString("state"))) {
        return true;
      }
    }
    return false;
  }

  private void step(String what, JsonObject answer) {
    out.printf(
        "%s: %s, %d chats%n", what, answer.getString("state"), answer.getInteger("sessions", 0));
  }

  private JsonObject get(String address, String path) throws Exception {
    return call(
        HttpRequest.newBuilder(URI.create("http://" + address + path)).GET(), address, path);
  }

  private JsonObject post(String address, String path) throws Exception {
    return call(
        HttpRequest.newBuilder(URI.create("http://" + address + path))
            .POST(HttpRequest.BodyPublishers.noBody()),
        address,
        path);
  }

  private JsonObject call(HttpRequest.Builder b, String address, String path) throws Exception {
    HttpResponse<String> r =
        http.send(b.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 && !(path.equals("/health") && r.statusCode() == 503)) {
      throw new StepFailed(address + path + " answered " + r.statusCode() + ": " + r.body());
    }
    return new JsonObject(r.body());
  }

  private static String port(String hostPort) {
    return hostPort.substring(hostPort.lastIndexOf(':') + 1);
  }

  private static String ids(List<Target> targets) {
    return String.join(", ", targets.stream().map(Target::id).toList());
  }

  private static void pause(long ms) throws InterruptedException {
    Thread.sleep(ms); // polling another process's state, not synchronising threads
  }
}
