package dev.hachat.server;

import dev.hachat.common.process.Bootstrap;
import dev.hachat.server.config.ChatServerOptions;
import io.vertx.core.Future;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The chat-server process. Prints {@code HACHAT READY instance=… webapi=… esp=… admin=…} on stdout
 * once every port listens; exits 2 on bad configuration; stops cleanly on SIGTERM.
 */
@Command(
    name = "chat-server",
    mixinStandardHelpOptions = true,
    description = "Runs one hachat chat-server instance.")
public final class Main implements Callable<Integer> {

  @Option(
      names = "--config",
      description = "YAML configuration file (see config/chat-server.yaml).")
  Path config;

  @Option(names = "--print-config", description = "Print the effective options as YAML and exit.")
  boolean printConfig;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return Bootstrap.run(
        "hachat",
        ChatServerOptions.loader(),
        config,
        printConfig,
        new Bootstrap.Process<ChatServerOptions, ChatServer>() {
          @Override
          public Future<ChatServer> start(ChatServerOptions options) {
            return ChatServer.start(options);
          }

          @Override
          public int serve(ChatServerOptions options, ChatServer server)
              throws InterruptedException {
            StopControl control = new StopControl(server, options.getOps().getStopTimeout());
            // Other ways out (SIGINT, SIGHUP, System.exit) stop at once, as before.
            Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> control.awaitStopped(30), "hachat-shutdown"));
            if (!TermSignal.install(control::onSigterm)) {
              System.err.println("hachat: SIGTERM handler unavailable; SIGTERM stops at once");
            }
            System.out.printf(
                "HACHAT READY instance=%s webapi=%d esp=%d admin=%d%n",
                server.instanceId(), server.webapiPort(), server.espPort(), server.adminPort());
            System.out.flush();
            return control.exitCode();
          }
        });
  }
}
