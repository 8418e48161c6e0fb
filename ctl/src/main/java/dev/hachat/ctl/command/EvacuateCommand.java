package dev.hachat.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.ExitCode;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hachatctl evacuate INSTANCE}: {@code POST /admin/evacuate}, which answers once every chat
 * was handed over; exit 1 when some could not be (they stay on the instance and can be evacuated
 * again).
 */
@Command(
    name = "evacuate",
    mixinStandardHelpOptions = true,
    description =
        "Hands every open chat of INSTANCE to the other instances now, nothing lost"
            + " (POST /admin/evacuate); the instance stays disabled.")
public final class EvacuateCommand extends InstanceArgument implements Callable<Integer> {
  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      defaultValue = "5m",
      description = "How long to wait for the evacuation's answer (default ${DEFAULT-VALUE}).")
  Duration waitTimeout;

  @Override
  public Integer call() {
    JsonNode answer = post("/admin/evacuate", waitTimeout);
    JsonNode ev = answer.path("evacuation");
    report(answer, "; " + counts(ev));
    // chats that failed stay here, so they are among the sessions left
    long left = Math.max(ev.path("failed").asLong(), answer.path("sessions").asLong());
    if (left > 0) {
      throw new CtlException(
          ExitCode.FAILED,
          answer.path("instanceId").asText(instance)
              + ": "
              + left
              + " chats could not be handed over; evacuate again once the store is healthy");
    }
    return ExitCode.OK.code();
  }

  /** {@code evacuated 34 chats in 310ms, 0 failed}. */
  static String counts(JsonNode ev) {
    return "evacuated "
        + ev.path("evacuated").asLong()
        + " chats in "
        + ev.path("tookMs").asLong()
        + "ms, "
        + ev.path("failed").asLong()
        + " failed";
  }
}
