package dev.hachat.interaction.cli;

import static dev.hachat.esp.cli.AgentConsole.await;

import dev.hachat.esp.cli.LoginOptions;
import dev.hachat.interaction.client.AgentSession;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scripts/agent --interaction HOST:PORT}: answer the chats the interaction server offers,
 * from a terminal (docs/agent-api.md). It logs in, sets Ready and reads commands from standard
 * input line by line, so a pipe can drive it.
 */
@Command(
    name = "agent --interaction",
    mixinStandardHelpOptions = true,
    description =
        "Answers hachat chats from a terminal through the interaction server: logs in, goes"
            + " Ready and prints each offer; /accept, /reject, /ready, /notready <reason>;"
            + " any other line is a message in the current chat.")
public final class InteractionAgentCli implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--interaction",
      required = true,
      paramLabel = "HOST:PORT[,HOST:PORT…]",
      description =
          "The interaction servers' agent API (http.port; 8095 by default): the first that"
              + " answers, the next ones when it is lost (the chats carry over)")
  String server;

  @Option(
      names = "--token-env",
      description =
          "Name of an environment variable holding a signed login token (instead of a password)")
  String tokenEnv;

  @Mixin LoginOptions login;

  public static void main(String[] args) {
    System.exit(new CommandLine(new InteractionAgentCli()).execute(args));
  }

  @Override
  public Integer call() {
    return run(
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), System.out);
  }

  /** Connects, logs in, goes Ready and serves {@code in} until {@code /quit} or its end. */
  int run(BufferedReader in, PrintStream out) {
    List<String> endpoints = List.of(server.split(","));
    for (String e : endpoints) {
      int colon = e.lastIndexOf(':');
      if (colon < 1 || parsePort(e.substring(colon + 1)) < 1) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--interaction wants HOST:PORT[,HOST:PORT…], e.g. 127.0.0.1:8095");
      }
    }
    String password = login.password();
    String token = token();
    Vertx vertx = Vertx.vertx();
    try {
      OfferTerminal terminal = new OfferTerminal(out);
      AgentSession session =
          await(
              AgentSession.start(
                  vertx,
                  endpoints,
                  new AgentSession.Credentials(login.agentId(), login.nickname(), password, token),
                  login.tlsTrustFile(),
                  terminal::event));
      terminal.loggedIn(session);
      terminal.run(in);
      return 0;
    } catch (RuntimeException | IOException e) {
      System.err.println("agent: " + e.getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  private String token() {
    if (tokenEnv == null) {
      return null;
    }
    String t = System.getenv(tokenEnv);
    if (t == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "environment variable " + tokenEnv + " is not set");
    }
    return t;
  }

  private static int parsePort(String s) {
    try {
      int p = Integer.parseInt(s);
      return p <= 65535 ? p : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
