package dev.hachat.ctl.admin;

import dev.hachat.ctl.CtlException;
import dev.hachat.ctl.ExitCode;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;

/** Waiting on an {@link AdminClient} future from a command's thread. */
public final class Calls {
  private Calls() {}

  /**
   * The result of {@code f}; its {@link CtlException} rethrown as it is (any other failure as
   * {@link ExitCode#FAILED}).
   */
  public static <T> T await(CompletableFuture<T> f) {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CtlException(ExitCode.FAILED, "interrupted");
    } catch (ExecutionException e) {
      throw failure(e.getCause());
    }
  }

  /**
   * The result of {@code call} on the first of {@code addresses} that answers (asked in turn); a
   * failure other than {@link ExitCode#UNREACHABLE} at once; when none answers, the first failure.
   */
  public static <T> T firstAnswer(
      List<String> addresses, Function<String, CompletableFuture<T>> call) {
    CtlException first = null;
    for (String a : addresses) {
      try {
        return await(call.apply(a));
      } catch (CtlException e) {
        if (e.kind() != ExitCode.UNREACHABLE) {
          throw e;
        }
        first = first == null ? e : first;
      }
    }
    throw first != null ? first : new CtlException(ExitCode.USAGE, "no --admin address given");
  }

  /** {@code e} as the {@link CtlException} it is or wraps. */
  public static CtlException failure(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t instanceof CtlException ce ? ce : new CtlException(ExitCode.FAILED, String.valueOf(t));
  }
}
