package dev.hachat.gms;

import dev.hachat.common.process.Bootstrap;
import dev.hachat.gms.config.GmsOptions;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The web API server process: {@code java -jar webapi-*-all.jar --config config/webapi.yaml}. */
@Command(
    name = "hachat-webapi",
    mixinStandardHelpOptions = true,
    description = "Runs one hachat web API server (GMS Chat API v2, CometD, demo widget).")
public final class Main implements Callable<Integer> {

  @Option(names = "--config", description = "YAML configuration file (see config/webapi.yaml).")
  Path config;

  @Option(names = "--print-config", description = "Print the effective options as YAML and exit.")
  boolean printConfig;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return Bootstrap.run(
        "hachat-webapi",
        GmsOptions.loader(),
        config,
        printConfig,
        new Bootstrap.Process<GmsOptions, GmsServer>() {
          @Override
          public Future<GmsServer> start(GmsOptions options) {
            return GmsServer.start(options);
          }

          @Override
          public int serve(GmsOptions options, GmsServer server) throws InterruptedException {
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                .addShutdownHook(
                    new Thread(
                        () -> {
                          try {
                            server
                                .stop()
                                .toCompletionStage()
                                .toCompletableFuture()
                                .get(10, TimeUnit.SECONDS);
                          } catch (Exception e) {
                            System.err.println("hachat-webapi: stop did not complete: " + e);
                          }
                          stopped.countDown();
                        },
                        "webapi-shutdown"));
            System.out.printf(
                "HACHAT WEBAPI READY id=%s port=%d%n", options.effectiveId(), server.port());
            System.out.flush();
            stopped.await();
            return Bootstrap.EXIT_OK;
          }
        });
  }
}
