package dev.hachat.interaction.cli;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.hachat.interaction.InteractionServer;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.server.ChatServer;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.server.testing.TestNodes;
import dev.hachat.store.Entry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command-line agent's interaction mode, driven through a pipe as a person would type, against
 * an instance and an interaction server in this process (memory store, real sockets).
 */
class InteractionAgentCliTest {
  private final TestNodes nodes = TestNodes.inMemory();
  private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
  private ChatServer cs;
  private InteractionServer ixn;
  private Writer keyboard;
  private CompletableFuture<Integer> exit;

  @BeforeEach
  void start() throws Exception {
    cs = await(nodes.startServer("cs1", Map.of("hachat.ha.heartbeat-interval", "100")));
    InteractionOptions o = new InteractionOptions().setId("ixn-cli").setRegistryPollInterval(50);
    o.getHttp().setPort(0);
    ixn = await(InteractionServer.start(nodes.vertx(), o, nodes.registry(), null));
    Pipe pipe = Pipe.open();
    keyboard = Channels.newWriter(pipe.sink(), StandardCharsets.UTF_8);
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(pipe.source()), StandardCharsets.UTF_8));
    InteractionAgentCli cli = new InteractionAgentCli();
    new CommandLine(cli)
        .parseArgs(
            "--interaction", "127.0.0.1:" + ixn.port(), "--agent-id", "a1", "--nickname", "Bob");
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    exit = CompletableFuture.supplyAsync(() -> cli.run(in, out));
    awaitScreen("state: Ready");
  }

  @AfterEach
  void stop() throws Exception {
    if (!exit.isDone()) {
      type("/quit");
    }
    exit.get(10, java.util.concurrent.TimeUnit.SECONDS);
    await(ixn.stop());
    nodes.close();
  }

  private void type(String line) throws Exception {
    keyboard.write(line + "\n");
    keyboard.flush();
  }

  private String screen() {
    return screen.toString(StandardCharsets.UTF_8);
  }

  private void awaitScreen(String text) {
    await().atMost(Duration.ofSeconds(10)).until(() -> screen().contains(text));
  }

  private Joined customer() throws Exception {
    return await(cs.engine().requestChat("Ann", "billing", Map.of("GMSServiceName", "sales")));
  }

  @Test
  void an_offered_chat_is_accepted_talked_in_both_ways_and_closed() throws Exception {
    Joined c = customer();
    awaitScreen("chat " + c.chatId() + " in sales from Ann — billing");

    type("/accept");
    awaitScreen("accepted " + c.chatId() + " (queue sales)");
    Session s = await(cs.engine().find(c.chatId()));
    await(s.send(c.participantId(), c.secureKey(), "m1", "my invoice is wrong"));
    awaitScreen("Ann: my invoice is wrong");

    type("let me look");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries().stream()
                    .map(Entry::text)
                    .anyMatch("let me look"::equals));
    awaitScreen("Bob: let me look");

    type("/close resolved");
    awaitScreen("chat " + c.chatId() + " ended (AGENT_CLOSED)");
    type("/quit");
    assertThat(exit.get(10, java.util.concurrent.TimeUnit.SECONDS)).isZero();
  }

  @Test
  void not_ready_and_ready_set_the_state_and_a_rejected_offer_comes_again() throws Exception {
    type("/notready lunch");
    awaitScreen("state: NotReady (lunch)");
    Joined c = customer();
    await() // the instance announces the chat to the interaction server soon after
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              type("/status");
              return screen().contains("queue sales: 1 waiting");
            });
    assertThat(screen()).doesNotContain("offer ");

    type("/ready");
    awaitScreen("chat " + c.chatId() + " in sales");
    type("/reject");
    awaitScreen("rejected ");
    // the only agent that can take it passed it: the round starts again, with a new offer
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> screen().split("chat " + c.chatId() + " in sales", -1).length == 3);
    type("/accept");
    awaitScreen("accepted " + c.chatId());
  }
}
