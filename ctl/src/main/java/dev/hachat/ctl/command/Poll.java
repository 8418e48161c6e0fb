package dev.hachat.ctl.command;

import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.Durations;
import dev.hachat.ctl.ExitCode;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Polling another process's observable state (its drain, its health, the registry) from a command's
 * thread until a condition holds or a deadline passes. The pause between two looks is a poll
 * interval, not a synchronisation: each look asks the process again.
 */
final class Poll {
  /** Between two looks. */
  static final Duration INTERVAL = Duration.ofMillis(500);

  private Poll() {}

  /**
   * The first present result of {@code look}; {@link ExitCode#UNREACHABLE} saying "{@code what}
   * within …" when {@code within} passed first ({@code null}: no bound). A look may throw.
   */
  static <T> T until(String what, Duration within, Supplier<Optional<T>> look) {
    long start = System.nanoTime();
    while (true) {
      Optional<T> r = look.get();
      if (r.isPresent()) {
        return r.get();
      }
      if (within != null && System.nanoTime() - start > within.toNanos()) {
        throw new CtlException(ExitCode.UNREACHABLE, what + " within " + Durations.format(within));
      }
      try {
        Thread.sleep(INTERVAL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CtlException(ExitCode.FAILED, "interrupted while waiting until " + what);
      }
    }
  }
}
