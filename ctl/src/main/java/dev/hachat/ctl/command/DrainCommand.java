package dev.hachat.ctl.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.Durations;
import dev.hachat.ctl.ExitCode;
import dev.hachat.ctl.admin.Calls;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hachatctl drain INSTANCE [--deadline 5m] [--wait]}: {@code POST /admin/drain}, then with
 * {@code --wait} polls {@code GET /admin/drain} until the drain is {@code done} (exit 0) or {@code
 * cancelled} by an enable (exit 1).
 */
@Command(
    name = "drain",
    mixinStandardHelpOptions = true,
    description = {
      "Disables INSTANCE and lets its chats end; once the deadline passes it hands the rest to the"
          + " other instances (POST /admin/drain). A second drain replaces the deadline."
    })
public final class DrainCommand extends InstanceArgument implements Callable<Integer> {
  /** How much longer than the deadline {@code --wait} waits by default: the evacuation's time. */
  static final Duration AFTER_DEADLINE = Duration.ofMinutes(2);

  @Option(
      names = "--deadline",
      paramLabel = "DURATION",
      description = "Evacuate what is left after this long: 30s, 5m, 2h (default: no deadline).")
  Duration deadline;

  @Option(names = "--wait", description = "Wait until the drain is done (no chats left).")
  boolean await;

  @Option(
      names = "--wait-timeout",
      paramLabel = "DURATION",
      description =
          "With --wait, give up (exit 3) after this long (default: the deadline + "
              + "2m; without a deadline, no bound).")
  Duration waitTimeout;

  @Override
  public Integer call() {
    String path = "/admin/drain" + (deadline == null ? "" : "?deadline=" + deadline);
    JsonNode answer = post(path, root.client().timeout());
    if (!await) {
      report(answer, deadline(answer));
      return ExitCode.OK.code();
    }
    root.out().text(summary(answer) + deadline(answer));
    String admin = admin();
    Duration bound =
        waitTimeout != null ? waitTimeout : deadline == null ? null : deadline.plus(AFTER_DEADLINE);
    DrainWatch watch = new DrainWatch();
    JsonNode end =
        Poll.until(
            "the drain of " + instance + " did not end",
            bound,
            () -> {
              JsonNode s = Calls.await(root.client().get(admin, "/admin/drain"));
              if (watch.news(s)) {
                root.out().text("  " + progress(s));
              }
              String state = s.path("drain").path("state").asText("");
              return state.equals("done") || state.equals("cancelled")
                  ? Optional.of(s)
                  : Optional.empty();
            });
    if (root.out().json()) {
      root.out().print(end);
    } else {
      JsonNode ev = end.get("lastEvacuation");
      root.out()
          .text(
              summary(end)
                  + ", drain "
                  + end.path("drain").path("state").asText()
                  + (ev == null
                      ? ""
                      : "; evacuated at the deadline: " + EvacuateCommand.counts(ev)));
    }
    if ("cancelled".equals(end.path("drain").path("state").asText())) {
      throw new CtlException(
          ExitCode.FAILED,
          "the drain of " + instance + " was cancelled (the instance was enabled)");
    }
    return ExitCode.OK.code();
  }

  /** {@code draining: 3 chats left, oldest 12s, deadline in 4m48s}. */
  static String progress(JsonNode s) {
    JsonNode d = s.path("drain");
    return d.path("state").asText(s.path("state").asText())
        + ": "
        + s.path("sessions").asLong()
        + " chats left, oldest "
        + Durations.format(seconds(s.path("oldestSessionAgeMs").asLong()))
        + (d.has("deadlineInMs") && "draining".equals(d.path("state").asText())
            ? ", deadline in " + Durations.format(seconds(d.get("deadlineInMs").asLong()))
            : "");
  }

  /**
   * Which drain statuses are worth a line: a new state or chat count, else one every {@link #QUIET}
   * (the ages move every second, which says nothing new).
   */
  static final class DrainWatch {
    static final Duration QUIET = Duration.ofSeconds(10);
    private String last = "";
    private long printedAt;

    boolean news(JsonNode s) {
      String key = s.path("drain").path("state").asText() + "/" + s.path("sessions").asLong();
      long now = System.nanoTime();
      if (key.equals(last) && now - printedAt < QUIET.toNanos()) {
        return false;
      }
      last = key;
      printedAt = now;
      return true;
    }
  }

  private static String deadline(JsonNode answer) {
    JsonNode d = answer.path("drain");
    return d.has("deadline") ? ", deadline " + d.get("deadline").asText() : ", no deadline";
  }

  private static Duration seconds(long ms) {
    return Duration.ofSeconds(Math.max(0, ms) / 1000);
  }
}
