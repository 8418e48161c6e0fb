package dev.hachat.esp.cli;

import dev.hachat.store.Entry;
import io.vertx.core.Future;
import java.io.BufferedReader;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * What the command-line agents share: how an entry is printed, and waiting for a reply on the
 * thread that reads the terminal (never an event loop).
 */
public final class AgentConsole {
  /** How long a command waits for its reply. */
  public static final long REPLY_TIMEOUT_SECONDS = 30;

  private AgentConsole() {}

  /** {@code [index] Nickname: text}, with the entry type for anything but a message. */
  public static String format(Entry e) {
    String what =
        switch (e.type()) {
          case MESSAGE -> e.text();
          case PARTICIPANT_JOINED -> "(joined)";
          case PARTICIPANT_LEFT -> "(left)";
          case TYPING_STARTED -> "(typing…)";
          case TYPING_STOPPED -> "(stopped typing)";
          default -> "[" + e.type().wireName() + "] " + e.text();
        };
    return "[" + e.index() + "] " + e.nickname() + ": " + what;
  }

  /**
   * The Future's result, waiting at most {@link #REPLY_TIMEOUT_SECONDS}; its failure is rethrown as
   * it is when it is a RuntimeException (a {@code ChatException} with its message).
   */
  public static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage()
          .toCompletableFuture()
          .get(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Hands each non-blank line of {@code in}, stripped, to {@code command} until {@code /quit} or
   * the end of input.
   */
  public static void readCommands(BufferedReader in, Consumer<String> command) throws IOException {
    String line;
    while ((line = in.readLine()) != null) {
      line = line.strip();
      if (line.equals("/quit")) {
        return;
      }
      if (!line.isEmpty()) {
        command.accept(line);
      }
    }
  }
}
