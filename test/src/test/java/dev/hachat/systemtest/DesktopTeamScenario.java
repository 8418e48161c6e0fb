package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The desktop's teamwork controls on a live chat, after {@link DesktopBrowserIT}'s failover part: a
 * second agent logs in on a second desktop page; the chat's agent invites it to consult through its
 * page, the second page shows the invitation and joins; a consult line each way, both marked
 * "agents only" on both pages; a supervisor page lists the queues, agents and instances and watches
 * the chat. The consultant then ends its consult (Leave) and the first agent transfers the chat to
 * it by agent id: a transfer to an agent still in the chat as a consultant would not make it the
 * chat's agent (the chat does not wait again while an agent is in it, and the consultant's lines
 * stay internal), so the consult ends first. The first page closes the chat's tab with a notice;
 * the second agent accepts the offer, answers the customer, gets the customer's next message and
 * closes with a disposition code. The customer's widget never shows an internal line. Leaves
 * screenshots of the first desktop (internal lines) and of the supervisor page in {@code
 * test/target/} ({@code desktop.png}, {@code supervisor.png}; the ones in {@code docs/} come from
 * such a run).
 */
final class DesktopTeamScenario implements AutoCloseable {
  private static final long WAIT_MS = 15_000;

  private final int port;
  private final DesktopPage one;
  private final BrowserDriver widget;
  private final String chatId;
  private final String panel;
  private DesktopPage two;
  private BrowserDriver supervisor;

  /** {@code one}: the desktop of agent1 (Bob), working on {@code chatId} with the widget. */
  DesktopTeamScenario(int port, DesktopPage one, BrowserDriver widget, String chatId) {
    this.port = port;
    this.one = one;
    this.widget = widget;
    this.chatId = chatId;
    this.panel = DesktopPage.panel(chatId);
  }

  void consultTransferAndClose(String disposition) throws Exception {
    two = DesktopPage.open(port).login("agent2", "Dora").ready();
    String ask = "Can we refund the shipping of A-17?";
    String answer = "Yes, up to 10 euros.";
    consult(ask, answer);
    watch(answer);
    transfer();

    String visible = "Dora here: the shipping is refunded.";
    two.send(panel, visible);
    two.awaitMessage(panel, "agent:not(.internal)", visible, WAIT_MS);
    widget.call("waitFor", "text", visible, "timeoutMs", WAIT_MS);
    String thanks = "Thank you, Dora!";
    widget.call("send", "text", thanks);
    two.awaitMessage(panel, "client", thanks, WAIT_MS);
    List<String> seen =
        BrowserDriver.transcript(widget.call("state")).stream()
            .map(m -> m.getString("text"))
            .toList();
    assertThat(seen)
        .as("the customer sees the transfer and the new agent, never the consult")
        .contains("Bob left the chat.", "Dora joined the chat.", visible, thanks)
        .doesNotContain(ask, answer)
        .containsOnlyOnce("Dora joined the chat.");

    two.call("select", "selector", panel + " select.disposition", "value", disposition);
    two.call("click", "selector", panel + " button.close-chat");
    two.call("waitForSelector", "selector", panel + " li.notice[data-code='CLOSED']");
    widget.call("waitFor", "text", "The chat has ended.", "timeoutMs", WAIT_MS);
    supervisor.call("waitForSelector", "selector", "#watchmode:has-text('ended')");
  }

  /** Bob invites Dora to consult; she joins; a consult line each way, internal on both pages. */
  private void consult(String ask, String answer) throws Exception {
    one.call("click", "selector", panel + " details.more > summary");
    one.call("fill", "selector", panel + " input.invite-agent", "value", "agent2");
    one.call("select", "selector", panel + " select.invite-mode", "value", "consult");
    one.call("click", "selector", panel + " button.invite");
    String invite = "li.invite[data-chat-id='" + chatId + "'][data-mode='consult']";
    two.call("waitForSelector", "selector", invite + " .countdown:has-text('s left')");
    assertThat(two.texts(invite + " .what")).singleElement().asString().startsWith("Bob asks you");
    two.call("click", "selector", invite + " button.join");
    two.call(
        "waitForSelector", "selector", panel + "[data-mode='consult'] .mode-note:not([hidden])");
    assertThat(two.texts("button.tab[data-chat-id='" + chatId + "'] .label"))
        .containsExactly("Ann (consult)");

    one.call("fill", "selector", panel + " input.consult-text", "value", ask);
    one.call("click", "selector", panel + " button.consult");
    two.awaitMessage(panel, "agent.internal", ask, WAIT_MS);
    two.send(panel, answer); // a consultant's lines are internal by themselves
    one.awaitMessage(panel, "agent.internal", answer, WAIT_MS);
    two.awaitMessage(panel, "agent.internal", answer, WAIT_MS);
    for (DesktopPage d : List.of(one, two)) {
      assertThat(d.texts(panel + " li.msg.internal .tag"))
          .as("internal lines say so in words")
          .containsExactly("agents only", "agents only");
    }
    Path shot = InstanceProcess.home().resolve("test/target/desktop.png");
    Files.createDirectories(shot.getParent());
    one.call("screenshot", "path", shot.toString());
    System.out.println("screenshot of the desktop: " + shot);
  }

  /** A supervisor page: the queues, the agents, the instances; it watches the chat. */
  private void watch(String internalLine) throws Exception {
    supervisor = BrowserDriver.open("http://127.0.0.1:" + port + "/supervisor.html");
    supervisor.call("viewport", "width", 1000, "height", 900);
    supervisor.call("fill", "selector", "#who", "value", "sup1");
    supervisor.call("click", "selector", "#login button[type='submit']");
    supervisor.call("waitForSelector", "selector", "#agents td:text-is('agent2')");
    supervisor.call("waitForSelector", "selector", "#queues tr");
    assertThat(DesktopPage.list(supervisor, "#agents tr td:first-child", "e.textContent"))
        .contains("agent1", "agent2", "sup1");
    assertThat(DesktopPage.list(supervisor, "#instances tr td:nth-child(2)", "e.textContent"))
        .as("the state table: instances and the web API server")
        .contains("instance", "webapi");
    supervisor.call(
        "click", "selector", "#agents button.chat[title='watch chat " + chatId + " read-only']");
    supervisor.call(
        "waitForSelector",
        "selector",
        "#transcript li.Int:has-text(" + DesktopPage.quoted(internalLine) + ")");
    Path shot = InstanceProcess.home().resolve("test/target/supervisor.png");
    supervisor.call("screenshot", "path", shot.toString());
    System.out.println("screenshot of the supervisor page: " + shot);
  }

  /** Dora ends her consult; Bob transfers the chat to her; she accepts it. */
  private void transfer() throws Exception {
    two.call("click", "selector", panel + " button.leave");
    two.call("waitForSelector", "selector", "#no-chats:not([hidden])");
    one.call("select", "selector", panel + " select.transfer-kind", "value", "agentId");
    one.call("fill", "selector", panel + " input.transfer-target", "value", "agent2");
    one.call("click", "selector", panel + " button.transfer");
    one.call(
        "waitForSelector",
        "selector",
        "#notices li[data-code='TRANSFERRED']:has-text('transferred to agent agent2')");
    assertThat(one.list(panel, "e.id")).as("the transferred chat's tab is gone").isEmpty();
    String offer = "li.offer[data-chat-id='" + chatId + "']";
    two.call("click", "selector", offer + " button.accept");
    two.call("waitForSelector", "selector", panel + ":not([data-mode])");
  }

  @Override
  public void close() throws InterruptedException {
    if (two != null) {
      two.close();
    }
    if (supervisor != null) {
      supervisor.close();
    }
  }
}
