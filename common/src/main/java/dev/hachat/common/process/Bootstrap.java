package dev.hachat.common.process;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.ConfigLoader;
import io.vertx.core.Future;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * How every hachat process starts: load its options (file, environment, system properties), print
 * them and exit for {@code --print-config}, start within {@link #START_TIMEOUT_SECONDS}, then hand
 * over to the process until it stops. Exit codes: {@link #EXIT_OK}, {@link #EXIT_START_FAILED},
 * {@link #EXIT_BAD_CONFIG}; a process may return others from {@link Process#serve}.
 */
public final class Bootstrap {
  /** Exit code: stopped normally, or {@code --print-config} printed. */
  public static final int EXIT_OK = 0;

  /** Exit code: the options were valid but the process could not start. */
  public static final int EXIT_START_FAILED = 1;

  /** Exit code: the configuration is invalid (the message names the option). */
  public static final int EXIT_BAD_CONFIG = 2;

  /**
   * How long a start may take before the process gives up, seconds: long enough for the first
   * instance on a fresh multi-node Cassandra to create the schema (every DDL waits for schema
   * agreement, over a minute on a loaded 2-core machine).
   */
  public static final int START_TIMEOUT_SECONDS = 150;

  private Bootstrap() {}

  /**
   * One process: how it starts and what it does once started.
   *
   * @param <O> its options
   * @param <S> the started process
   */
  public interface Process<O, S> {
    /** Starts everything; the future completes once every port listens. */
    Future<S> start(O options);

    /**
     * Prints the process's ready line and blocks until it stops.
     *
     * @return the exit code
     */
    int serve(O options, S started) throws Exception;

    /** A process that starts with {@code start} and serves with {@code serve}. */
    static <O, S> Process<O, S> of(
        java.util.function.Function<O, Future<S>> start, Serve<O, S> serve) {
      return new Process<>() {
        @Override
        public Future<S> start(O options) {
          return start.apply(options);
        }

        @Override
        public int serve(O options, S started) throws Exception {
          return serve.serve(options, started);
        }
      };
    }
  }

  /** {@link Process#serve} as a lambda. */
  @FunctionalInterface
  public interface Serve<O, S> {
    int serve(O options, S started) throws Exception;
  }

  /**
   * Runs {@code process} under the name {@code name} (the prefix of every message on stderr).
   *
   * @param config the YAML file, or {@code null} for defaults and overrides only
   * @return the process's exit code
   */
  public static <O, S> int run(
      String name, ConfigLoader<O> loader, Path config, boolean printConfig, Process<O, S> process)
      throws Exception {
    return run(name, loader, config, printConfig, process, System.out, System.err);
  }

  static <O, S> int run(
      String name,
      ConfigLoader<O> loader,
      Path config,
      boolean printConfig,
      Process<O, S> process,
      PrintStream out,
      PrintStream err)
      throws Exception {
    O options;
    try {
      options = loader.load(config);
    } catch (ConfigException e) {
      err.println(name + ": " + e.getMessage());
      return EXIT_BAD_CONFIG;
    }
    if (printConfig) {
      out.print(loader.toRedactedYaml(options));
      return EXIT_OK;
    }
    S started;
    try {
      started =
          process
              .start(options)
              .toCompletionStage()
              .toCompletableFuture()
              .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println(name + ": could not start: " + cause);
      return EXIT_START_FAILED;
    }
    return process.serve(options, started);
  }

  /**
   * Prints {@code readyLine}, then blocks until the JVM shuts down (SIGTERM, SIGINT), when {@code
   * stop} runs (given 10 s); for processes with nothing to hand over on the way out.
   */
  public static int serveUntilShutdown(
      String name, String readyLine, java.util.function.Supplier<Future<Void>> stop)
      throws InterruptedException {
    java.util.concurrent.CountDownLatch stopped = new java.util.concurrent.CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    stop.get().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                  } catch (Exception e) {
                    System.err.println(name + ": stop did not complete: " + e);
                  }
                  stopped.countDown();
                },
                name + "-shutdown"));
    System.out.println(readyLine);
    System.out.flush();
    stopped.await();
    return EXIT_OK;
  }
}
