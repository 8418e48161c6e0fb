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

  @Option(names = "--token", description = "ESP token, if the server requires one")
  String token;

  public static void main(String[] args) {
    System.exit(new CommandLine(new AgentCli()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      EspClient client =
          EspClient.connect(vertx, new EspClientOptions().setHost(host).setPort(port))
              .compose(c -> c.login(agentId, nickname, token).map(v -> c))
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
}
