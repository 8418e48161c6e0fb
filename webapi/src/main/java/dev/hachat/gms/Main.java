package dev.hachat.gms;

import dev.hachat.common.process.Bootstrap;
import dev.hachat.gms.config.GmsOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
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
        Bootstrap.Process.of(
            GmsServer::start,
            (options, server) ->
                Bootstrap.serveUntilShutdown(
                    "hachat-webapi",
                    String.format(
                        "HACHAT WEBAPI READY id=%s port=%d", options.effectiveId(), server.port()),
                    server::stop)));
  }
}
