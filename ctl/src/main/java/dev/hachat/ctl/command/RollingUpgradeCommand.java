package dev.hachat.ctl.command;

import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.ExitCode;
import dev.hachat.ctl.HachatCtl;
import dev.hachat.ctl.admin.Calls;
import dev.hachat.ctl.admin.ClusterView;
import dev.hachat.ctl.admin.Member;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code hachatctl rolling-upgrade}: every instance in turn (or the ones named, in that order) goes
 * through {@link InstanceUpgrade}; the first failure stops the procedure with exit 1 and leaves the
 * instances not reached yet untouched. Runs on the instances' machine: it signals their PIDs.
 */
@Command(
    name = "rolling-upgrade",
    mixinStandardHelpOptions = true,
    description = {
      "Upgrades instances one at a time with no chat interrupted: disable, drain (deadline),"
          + " evacuate the rest, stop (SIGTERM), start the new build, wait healthy, enable, wait"
          + " until the others see it. Runs on the instances' machine."
    })
public final class RollingUpgradeCommand implements Callable<Integer> {
  @ParentCommand HachatCtl root;

  @Parameters(
      paramLabel = "INSTANCE",
      arity = "0..*",
      description =
          "Instances to upgrade, in this order (ids or admin host:port). Default: every instance"
              + " in GET /cluster, in id order.")
  List<String> instances = new ArrayList<>();

  @Option(
      names = "--start",
      required = true,
      paramLabel = "COMMAND",
      description =
          "Starts the new build of one instance (run by bash); {id}, {webapi-port}, {esp-port}"
              + " and {admin-port} are replaced by the instance's own values.")
  String startTemplate;

  @Option(
      names = "--drain-deadline",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description =
          "How long chats may take to end before the rest is evacuated (default ${DEFAULT-VALUE}).")
  Duration drainDeadline;

  @Option(
      names = "--log-dir",
      paramLabel = "DIR",
      defaultValue = "run/logs",
      description =
          "Where started instances write their output (<id>.log, appended; default ${DEFAULT-VALUE}).")
  Path logDir;

  @Option(
      names = "--stop-timeout",
      paramLabel = "DURATION",
      defaultValue = "2m",
      description =
          "How long an instance may take to exit after SIGTERM (default ${DEFAULT-VALUE}).")
  Duration stopTimeout;

  @Option(
      names = "--start-timeout",
      paramLabel = "DURATION",
      defaultValue = "3m",
      description =
          "How long a started instance may take to be healthy (default ${DEFAULT-VALUE}).")
  Duration startTimeout;

  @Option(
      names = "--seen-timeout",
      paramLabel = "DURATION",
      defaultValue = "60s",
      description =
          "How long the other instances may take to see a stop or a start (default ${DEFAULT-VALUE}).")
  Duration seenTimeout;

  @Option(
      names = "--evacuate-timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description = "How long an evacuation's answer may take (default ${DEFAULT-VALUE}).")
  Duration evacuateTimeout;

  @Override
  public Integer call() {
    Progress progress = new Progress(root.out());
    List<Member> targets = targets();
    List<String> ids = targets.stream().map(Member::id).toList();
    progress.step(
        null,
        "plan",
        "rolling upgrade of " + targets.size() + " instances: " + String.join(", ", ids));
    InstanceUpgrade upgrade =
        new InstanceUpgrade(
            root.client(),
            progress,
            new InstanceUpgrade.Settings(
                startTemplate,
                drainDeadline,
                logDir,
                stopTimeout,
                startTimeout,
                seenTimeout,
                evacuateTimeout));
    for (Member t : targets) {
      try {
        upgrade.run(t, others(t));
      } catch (CtlException e) {
        progress.step(t.id(), "failed", "rolling upgrade FAILED: " + e.getMessage());
        throw e.kind() == ExitCode.AUTH || e.kind() == ExitCode.USAGE
            ? e
            : new CtlException(ExitCode.FAILED, "[" + t.id() + "] " + e.getMessage());
      }
    }
    progress.step(null, "done", "rolling upgrade done: " + String.join(", ", ids));
    return ExitCode.OK.code();
  }

  /** The admin addresses of every other live instance now (they must see each step). */
  private List<String> others(Member t) {
    return root.cluster().members().stream()
        .filter(m -> m.alive() && !m.id().equals(t.id()) && !m.admin().isEmpty())
        .map(Member::admin)
        .toList();
  }

  /** The instances to upgrade, in order, as the registry describes them. */
  private List<Member> targets() {
    ClusterView view = root.cluster();
    long alive = view.members().stream().filter(Member::alive).count();
    if (alive < 2) {
      throw new CtlException(
          ExitCode.FAILED,
          "a rolling upgrade needs at least two live instances (found " + alive + ")");
    }
    List<Member> chosen = new ArrayList<>();
    if (instances.isEmpty()) {
      for (Member m : view.members()) {
        if (Member.STOPPED.equals(m.state())) {
          continue; // stopped cleanly: nothing runs there to upgrade
        }
        if (!m.alive()) {
          throw new CtlException(
              ExitCode.FAILED,
              "instance " + m.id() + " is " + m.displayState() + "; restore it or name the others");
        }
        chosen.add(m);
      }
    } else {
      for (String i : instances) {
        chosen.add(resolve(view, i));
      }
    }
    return chosen;
  }

  private Member resolve(ClusterView view, String instance) {
    Member m;
    if (ClusterView.isAddress(instance)) {
      ClusterView own =
          ClusterView.of(instance, Calls.await(root.client().get(instance, "/cluster")));
      m =
          own.self()
              .orElseThrow(
                  () -> new CtlException(ExitCode.FAILED, instance + " does not list itself"));
    } else {
      m =
          view.member(instance)
              .orElseThrow(
                  () ->
                      new CtlException(
                          ExitCode.FAILED, "no instance " + instance + " in the cluster"));
    }
    if (!m.alive()) {
      throw new CtlException(ExitCode.FAILED, "instance " + m.id() + " is not alive");
    }
    return m;
  }
}
