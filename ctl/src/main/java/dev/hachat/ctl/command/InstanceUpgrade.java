package dev.hachat.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.Durations;
import dev.hachat.ctl.ExitCode;
import dev.hachat.ctl.admin.AdminClient;
import dev.hachat.ctl.admin.Calls;
import dev.hachat.ctl.admin.ClusterView;
import dev.hachat.ctl.admin.Member;
import dev.hachat.ctl.output.Output;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * One instance's turn in a rolling upgrade (docs/operations.md): disable → drain with the deadline
 * → evacuate the rest → SIGTERM to the PID its {@code /health} reports, wait for the exit, check
 * that the others see its {@code stopped} record (a clean stop) → start the new build → wait until
 * {@code /health} is UP with the new PID → enable → wait until every other instance sees it alive
 * and {@code normal}. Any step that does not work out throws a {@link CtlException}.
 *
 * <p>Runs on the command's thread and blocks between steps, on purpose: it waits for other
 * processes.
 */
final class InstanceUpgrade {
  /** The procedure's options ({@link RollingUpgradeCommand}). */
  record Settings(
      String startTemplate,
      Duration drainDeadline,
      Path logDir,
      Duration stopTimeout,
      Duration startTimeout,
      Duration seenTimeout,
      Duration evacuateTimeout) {}

  private final AdminClient client;
  private final Progress progress;
  private final Settings settings;

  InstanceUpgrade(AdminClient client, Progress progress, Settings settings) {
    this.client = client;
    this.progress = progress;
    this.settings = settings;
  }

  /** Upgrades {@code t}; {@code others} are the admin addresses of the other live instances. */
  void run(Member t, List<String> others) {
    String id = t.id();
    JsonNode answer = post(t, "/admin/disable", client.timeout());
    progress.step(id, "disable", "disable: " + InstanceArgument.summary(answer), answer);
    Duration deadline = settings.drainDeadline();
    answer = post(t, "/admin/drain?deadline=" + deadline, client.timeout());
    progress.step(
        id,
        "drain",
        "drain (deadline " + Durations.format(deadline) + "): " + InstanceArgument.summary(answer),
        answer);
    JsonNode drained = awaitDrain(t, deadline.plus(DrainCommand.AFTER_DEADLINE));
    JsonNode last = drained.get("lastEvacuation");
    if (last != null) {
      progress.step(
          id, "drain-evacuated", "drain deadline passed: " + EvacuateCommand.counts(last), drained);
    }
    answer = post(t, "/admin/evacuate", settings.evacuateTimeout());
    progress.step(
        id,
        "evacuate",
        "evacuate the rest: "
            + EvacuateCommand.counts(answer.path("evacuation"))
            + "; "
            + InstanceArgument.summary(answer),
        answer);
    if (answer.path("sessions").asLong() > 0) {
      throw new CtlException(
          ExitCode.FAILED, answer.path("sessions").asLong() + " chats could not be handed over");
    }
    stop(t, others);
    long pid = start(t);
    progress.step(
        id,
        "start",
        "started pid=" + pid + ", log " + settings.logDir().resolve(id + ".log"),
        Output.object()
            .put("pid", pid)
            .put("log", settings.logDir().resolve(id + ".log").toString()));
    awaitHealthy(t, pid);
    answer = post(t, "/admin/enable", client.timeout());
    progress.step(id, "enable", "enable: " + InstanceArgument.summary(answer), answer);
    for (String o : others) {
      awaitSeen(o, id, m -> m.alive() && "normal".equals(m.state()), false, "alive and normal");
    }
    progress.step(id, "upgraded", "upgraded");
  }

  private JsonNode post(Member t, String path, Duration wait) {
    return Calls.await(client.post(t.admin(), path, wait));
  }

  private JsonNode awaitDrain(Member t, Duration within) {
    DrainCommand.DrainWatch watch = new DrainCommand.DrainWatch();
    return Poll.until(
        "the drain did not end",
        within,
        () -> {
          JsonNode s = Calls.await(client.get(t.admin(), "/admin/drain"));
          if (watch.news(s)) {
            progress.step(t.id(), "draining", "  " + DrainCommand.progress(s), s);
          }
          String state = s.path("drain").path("state").asText("");
          // cancelled: someone enabled it meanwhile; the evacuation that follows disables it again
          return state.equals("done") || state.equals("cancelled")
              ? Optional.of(s)
              : Optional.empty();
        });
  }

  /** SIGTERM to the PID of the instance's /health; waits for the exit and its stopped record. */
  private void stop(Member t, List<String> others) {
    long pid = Calls.await(client.health(t.admin())).path("pid").asLong(-1);
    ProcessHandle h =
        ProcessHandle.of(pid)
            .orElseThrow(
                () ->
                    new CtlException(
                        ExitCode.FAILED,
                        "no process "
                            + pid
                            + " here (hachatctl rolling-upgrade runs on the instances' machine)"));
    progress.step(t.id(), "stop", "stop: SIGTERM to pid " + pid);
    h.destroy();
    try {
      h.onExit().get(settings.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new CtlException(
          ExitCode.FAILED,
          "pid " + pid + " did not exit within " + Durations.format(settings.stopTimeout()));
    } catch (ExecutionException | InterruptedException e) {
      throw Calls.failure(e);
    }
    for (String o : others) {
      // its stopped record, or no record at all: nobody takes it for a running instance
      awaitSeen(o, t.id(), m -> Member.STOPPED.equals(m.state()), true, "stopped (a clean stop)");
    }
    progress.step(t.id(), "stopped", "stopped cleanly (its last record says stopped)");
  }

  /** Starts the new build with the template; its output appended to {@code <log-dir>/<id>.log}. */
  private long start(Member t) {
    String cmd =
        settings
            .startTemplate()
            .replace("{id}", t.id())
            .replace("{webapi-port}", port(t.webapi()))
            .replace("{esp-port}", port(t.esp()))
            .replace("{admin-port}", port(t.admin()));
    Path log = settings.logDir().resolve(t.id() + ".log");
    try {
      Files.createDirectories(settings.logDir());
      Process p =
          new ProcessBuilder("bash", "-c", "exec " + cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .start();
      return p.pid();
    } catch (IOException e) {
      throw new CtlException(ExitCode.FAILED, "could not start: " + e.getMessage());
    }
  }

  private void awaitHealthy(Member t, long pid) {
    Poll.until(
        "not healthy",
        settings.startTimeout(),
        () -> {
          if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            throw new CtlException(
                ExitCode.FAILED, "the new process exited; see " + settings.logDir());
          }
          try {
            JsonNode h = Calls.await(client.health(t.admin()));
            boolean up = "UP".equals(h.path("status").asText()) && h.path("pid").asLong() == pid;
            return up ? Optional.of(h) : Optional.empty();
          } catch (CtlException e) {
            return Optional.empty(); // not listening yet
          }
        });
    progress.step(t.id(), "healthy", "healthy");
  }

  /**
   * Waits until the instance at {@code observer} sees {@code id} in a state {@code test} accepts
   * (or, with {@code absentOk}, not at all).
   */
  private void awaitSeen(
      String observer, String id, Predicate<Member> test, boolean absentOk, String what) {
    Poll.until(
        observer + " did not see " + id + " " + what,
        settings.seenTimeout(),
        () -> {
          ClusterView v = ClusterView.of(observer, Calls.await(client.get(observer, "/cluster")));
          boolean seen = v.member(id).map(test::test).orElse(absentOk);
          return seen ? Optional.of(Boolean.TRUE) : Optional.empty();
        });
  }

  private static String port(String hostPort) {
    return hostPort.substring(hostPort.lastIndexOf(':') + 1);
  }
}
