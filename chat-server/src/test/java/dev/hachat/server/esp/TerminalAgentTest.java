package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.cli.TerminalAgent;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.Entry;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** The command-line agent, driven through pipes as a terminal user would. */
class TerminalAgentTest extends EspTestBase {

  @Test
  void terminal_agent_answers_a_chat_through_piped_input() throws Exception {
    Joined c = customer();
    Session s = session(c);
    await(s.send(c.participantId(), c.secureKey(), "m1", "is anyone there?"));

    PipedOutputStream typed = new PipedOutputStream();
    BufferedReader in =
        new BufferedReader(
            new InputStreamReader(new PipedInputStream(typed), StandardCharsets.UTF_8));
    PrintWriter keyboard = new PrintWriter(typed, true, StandardCharsets.UTF_8);
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(screen, true, StandardCharsets.UTF_8);
    TerminalAgent agent = new TerminalAgent(agent("a1", "Bob"), out);
    CompletableFuture<Void> running =
        CompletableFuture.runAsync(
            () -> {
              try {
                agent.run(in);
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });

    keyboard.println("/list");
    Awaitility.await()
        .until(() -> screen.toString(StandardCharsets.UTF_8).contains("waiting: " + c.chatId()));
    keyboard.println("/accept " + c.chatId());
    Awaitility.await()
        .until(() -> screen.toString(StandardCharsets.UTF_8).contains("[2] Ann: is anyone there?"));
    keyboard.println("Hello Ann, Bob here.");
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries())
                    .extracting(Entry::text)
                    .contains("Hello Ann, Bob here."));
    await(s.send(c.participantId(), c.secureKey(), "m2", "thanks!"));
    Awaitility.await()
        .until(() -> screen.toString(StandardCharsets.UTF_8).contains("Ann: thanks!"));
    keyboard.println("/close");
    Awaitility.await()
        .until(() -> screen.toString(StandardCharsets.UTF_8).contains("ended (AGENT_CLOSED)"));
    keyboard.println("/quit");
    running.get(10, java.util.concurrent.TimeUnit.SECONDS);
  }
}
