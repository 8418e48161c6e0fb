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
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code scripts/agent}: answer chats from a terminal. */
@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description =
        "Answers hachat chats from a terminal over one instance's ESP port. Through the"
            + " interaction server instead: scripts/agent --interaction HOST:PORT.")
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

  @Mixin LoginOptions login;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentCli()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    String password = login.password();
    Vertx vertx = Vertx.vertx();
    try {
      EspClient client =
          EspClient.connect(
                  vertx,
                  new EspClientOptions()
                      .setHost(host)
                      .setPort(port)
                      .setTlsTrustFile(login.tlsTrustFile()))
              .compose(c -> logIn(c, password).map(v -> c))
              .toCompletionStage()
              .toCompletableFuture()
              .get(30, TimeUnit.SECONDS);
      System.out.println(
          "connected to "
              + host
              + ":"
              + port
              + " as "
              + login.nickname()
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

  private io.vertx.core.Future<Void> logIn(EspClient c, String password) {
    return password == null
        ? c.login(login.agentId(), login.nickname(), null)
        : c.loginWithPassword(login.agentId(), login.nickname(), password);
  }
}
