package dev.hachat.esp.cli;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code scripts/agent}: answer chats from a terminal. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "Answers hachat chats from a terminal over the ESP port.")
public final class AgentCli implements Callable<Integer> {
  @Option(
      names = "--host",
      defaultValue = EspClientOptions.DEFAULT_HOST,
      description = "ESP host (default ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--port",
      defaultValue = "9081",
      description = "ESP port (default ${DEFAULT-VALUE})")
  int port;

  @Option(
      names = "--agent-id",
      defaultValue = "agent-1",
      description = "Agent id (default ${DEFAULT-VALUE})")
  String agentId;

  @Option(
      names = "--nickname",
      defaultValue = "Agent",
      description = "Name customers see (default ${DEFAULT-VALUE})")
  String nickname;

  @Option(
      names = "--password-env",
      description =
          "Name of an environment variable holding the account password (never on the command"
              + " line, where ps shows it)")
  String passwordEnv;

  @Option(
      names = "--password",
      description = "Prompt for the account password (when the server has security on)")
  boolean promptPassword;

  @Option(
      names = "--tls-trust-file",
      description = "PEM CA certificates to trust when the ESP port uses TLS (default: plain text)")
  String tlsTrustFile;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentCli()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String password = password();
    Vertx vertx = Vertx.vertx();
    try {
      EspClient client =
          EspClient.connect(
                  vertx,
                  new EspClientOptions().setHost(host).setPort(port).setTlsTrustFile(tlsTrustFile))
              .compose(c -> login(c, password).map(v -> c))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      System.out.println(
          "connected to "
              + host
              + ":"
              + port
              + " as "
              + nickname
              + "; /list, /accept <chatId>, /leave, /close, /quit");
      TerminalAgent agent = new TerminalAgent(client, System.out);
      for (var c :
          client
              .listWaiting()
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS)) {
        System.out.println("waiting: " + c.chatId() + " " + c.customer() + " — " + c.subject());
      }
      agent.run(new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)));
      return 0;
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("agent: " + e.getCause().getMessage());
      return 1;
    } finally {
      vertx.close();
    }
  }

  /** The password from {@code --password-env} or the prompt; null for an open server. */
  private String password() {
    if (passwordEnv != null) {
      String p = System.getenv(passwordEnv);
      if (p == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "environment variable " + passwordEnv + " is not set");
      }
      return p;
    }
    if (promptPassword) {
      java.io.Console console = System.console();
      if (console == null) {
        throw new CommandLine.ParameterException(
            new CommandLine(this), "--password needs a terminal; use --password-env NAME");
      }
      return new String(console.readPassword("password for %s: ", agentId));
    }
    return null;
  }

  private io.vertx.core.Future<Void> login(EspClient c, String password) {
    return password == null
        ? c.login(agentId, nickname, null)
        : c.loginWithPassword(agentId, nickname, password);
  }
}
