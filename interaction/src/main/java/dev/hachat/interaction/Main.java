package dev.hachat.interaction;

import dev.hachat.common.process.Bootstrap;
import dev.hachat.interaction.config.InteractionOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The interaction server process: {@code java -jar interaction-*-all.jar --config
 * config/interaction.yaml}.
 */
@Command(
    name = "hachat-interaction",
    mixinStandardHelpOptions = true,
    description = "Runs one hachat interaction server (queues, push routing, the agent API).")
public final class Main implements Callable<Integer> {

  @Option(
      names = "--config",
      description = "YAML configuration file (see config/interaction.yaml).")
  Path config;

  @Option(names = "--print-config", description = "Print the effective options as YAML and exit.")
  boolean printConfig;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return Bootstrap.run(
        "hachat-interaction",
        InteractionOptions.loader(),
        config,
        printConfig,
        Bootstrap.Process.of(
            InteractionServer::start,
            (options, server) ->
                Bootstrap.serveUntilShutdown(
                    "hachat-interaction",
                    String.format(
                        "HACHAT INTERACTION READY id=%s port=%d",
                        options.effectiveId(), server.port()),
                    server::stop)));
  }
}
