package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.interaction.client.AgentApiClient;
import dev.hachat.interaction.client.AgentSession;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web agent desktop ({@code /desktop} of an interaction server) and the customer widget, each
 * in its own headless Chromium, against real processes: Cassandra, two instances, a web API server
 * and an interaction server. The customer asks for a chat in the widget; the agent logs in on the
 * desktop, goes Ready, accepts the offer; they exchange a message each way (a canned response from
 * the agent) and see each other typing; a second customer (REST) makes a second tab with an unread
 * mark. The instance owning the first chat is killed with kill -9: both pages go on (the next
 * message each way arrives once), the desktop shows the restore notice, and the agent closes the
 * chat with a disposition code, which reaches the server's log. Before that the test cuts the
 * desktop's socket while the customer writes: the page reconnects with the state it had and shows
 * the missed message once. At the end another login of the agent takes the page's place (4009), and
 * the page does not log in again. Leaves a screenshot in {@code test/target/desktop.png} (the one
 * in {@code docs/desktop.png} comes from such a run).
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // the browsers are closed by a non-static @AfterAll
class DesktopBrowserIT {
  // As in WidgetBrowserIT: the web API server gives up on a dead owner after 1 s, so the widget
  // itself retries (same messageId) until a survivor restored the chat.
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("desktop_browser")
          .contactHistory()
          .instances(2)
          .webApiServers(1)
          .webApiProperty("gms.routing.request-timeout", "1000")
          .webApiProperty("gms.routing.failover-deadline", "1000")
          .interactionServers(1)
          .build();

  BrowserDriver widget;
  DesktopPage desk;
  DesktopTeamScenario team;

  @BeforeAll
  static void installBrowser() throws Exception {
    BrowserDriver.install();
  }

  @AfterAll
  void closeBrowsers() throws InterruptedException {
    if (widget != null) {
      widget.close();
    }
    if (desk != null) {
      desk.close();
    }
    if (team != null) {
      team.close();
    }
  }

  @Test
  void an_agent_chats_on_the_desktop_through_a_kill_of_the_owning_instance_and_closes()
      throws Exception {
    long started = System.nanoTime();
    int gms = cluster.webApi(0).port();
    widget =
        BrowserDriver.open(
            "http://127.0.0.1:" + gms + "/?retryMin=200&retryMax=1500&pollInterval=500");
    desk = DesktopPage.open(cluster.interaction(0).port());
    desk.call("routeWebSockets", "url", "**/agent"); // so that the test can cut the socket
    desk.login("agent1", "Bob").ready();

    String chatId =
        widget.call("start", "nickname", "Ann", "subject", "Order A-17").getString("chatId");
    String panel = DesktopPage.panel(chatId);
    String offer = "li.offer[data-chat-id='" + chatId + "']";
    desk.call("waitForSelector", "selector", offer + " .countdown:has-text('s left')");
    desk.call("click", "selector", offer + " button.accept");
    desk.call("waitForSelector", "selector", panel);
    widget.call("waitFor", "text", "Bob joined the chat.", "timeoutMs", 15_000);

    // typing, both ways
    widget.call("fill", "selector", "#message", "value", "Hello");
    desk.call("waitForSelector", "selector", panel + " .typing:has-text('Ann is typing')");
    String first = "Hello, my order A-17 has not arrived.";
    widget.call("send", "text", first);
    desk.awaitMessage(panel, "client", first, 15_000);
    desk.call("fill", "selector", panel + " textarea.message", "value", "Let me");
    widget.call("waitForSelector", "selector", "#typing:has-text('Bob is typing')");
    desk.call("fill", "selector", panel + " textarea.message", "value", "");
    // a canned response: the server's default list, delivered in the login reply
    String reply1 = "Hello, thank you for contacting us. How can I help you?";
    desk.call("click", "selector", panel + " button.insert");
    desk.call("press", "selector", panel + " textarea.message", "key", "Enter");
    desk.awaitMessage(panel, "agent", reply1, 15_000);
    widget.call("waitFor", "text", reply1, "timeoutMs", 15_000);

    // a second customer: a second tab, with an unread mark
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    GmsCustomers.Chat other = customers.requestChat(gms, "Carl");
    String offer2 = "li.offer[data-chat-id='" + other.chatId + "']";
    desk.call("click", "selector", offer2 + " button.accept");
    desk.call("waitForSelector", "selector", "button.tab[data-chat-id='" + other.chatId + "']");
    customers.send(other, "c-1", "Hi, can I change my delivery address?");
    desk.call(
        "waitForSelector",
        "selector",
        "button.tab.has-unread[data-chat-id='" + other.chatId + "']");

    String owner = widget.call("state").getString("alias");
    InstanceProcess victim = cluster.instance(owner);
    victim.kill();
    long killedAt = System.nanoTime();
    System.out.printf("kill -9 of %s, the instance owning chat %s%n", owner, chatId);

    String second = "Are you still there?";
    widget.call("send", "text", second, "timeoutMs", 60_000);
    desk.awaitMessage(panel, "client", second, 60_000);
    desk.call(
        "waitForSelector",
        "selector",
        panel + " li.notice[data-code='RESTORED']",
        "timeoutMs",
        30_000);
    String reply2 = "Yes! Your parcel ships today.";
    desk.send(panel, reply2);
    desk.awaitMessage(panel, "agent", reply2, 30_000);
    JsonObject end = widget.call("waitFor", "text", reply2, "timeoutMs", 30_000);
    System.out.printf(
        "DESKTOP FAILOVER both messages after the kill through in %d ms (widget via %s)%n",
        (System.nanoTime() - killedAt) / 1_000_000, end.getString("alias"));
    assertThat(end.getString("alias")).as("served by a survivor").isNotEqualTo(owner);

    List<String> bubbles = desk.texts(panel + " li.msg .text");
    assertThat(bubbles)
        .as("the desktop shows every message once, in order")
        .containsExactly(first, reply1, second, reply2);
    List<String> indexes = desk.list(panel + " li[data-index]", "e.dataset.index");
    List<Long> numbers = indexes.stream().map(Long::valueOf).toList();
    assertThat(numbers)
        .as("desktop entries in transcript order")
        .isSorted()
        .doesNotHaveDuplicates();
    List<String> customerBubbles =
        BrowserDriver.transcript(end).stream()
            .filter(m -> m.getString("kind").startsWith("msg"))
            .map(m -> m.getString("text"))
            .toList();
    assertThat(customerBubbles).containsExactly(first, reply1, second, reply2);

    // the desktop's socket drops: it reconnects by itself, with the state it had, and shows
    // what it missed meanwhile, once
    desk.call("fill", "selector", "#reason", "value", "break");
    desk.call("select", "selector", "#state", "value", "NotReady");
    desk.call("click", "selector", "#set-state");
    desk.call("waitForSelector", "selector", "#state-now:text-is('NotReady (break)')");
    assertThat(desk.call("dropWebSockets").getInteger("dropped")).isEqualTo(1);
    desk.call("waitForSelector", "selector", "#notices li[data-code='DISCONNECTED']");
    String missed = "One more thing: the invoice.";
    widget.call("send", "text", missed);
    desk.call("releaseWebSockets");
    desk.call("waitForSelector", "selector", "#notices li[data-code='RECONNECTED']");
    desk.awaitMessage(panel, "client", missed, 15_000);
    assertThat(desk.texts(panel + " li.msg .text"))
        .as("after the reconnect")
        .containsExactly(first, reply1, second, reply2, missed);
    assertThat(agentState())
        .as("the server's view of the agent after the reconnect")
        .containsEntry("state", "NotReady")
        .containsEntry("reason", "break")
        .containsEntry("online", true);
    assertThat(desk.texts("#state-now")).containsExactly("NotReady (break)");

    // a second agent consults on the chat, the chat is transferred to it, it closes the chat
    long teamwork = System.nanoTime();
    team = new DesktopTeamScenario(cluster.interaction(0).port(), desk, widget, chatId);
    team.consultTransferAndClose("resolved");
    System.out.printf(
        "DESKTOP TEAMWORK consult, supervisor, transfer and close in %d ms%n",
        (System.nanoTime() - teamwork) / 1_000_000);
    Path log = InstanceProcess.home().resolve("test/target/instance-logs/ixn1.log");
    FailoverClients.awaitCondition(
        "the interaction server logs the close with its disposition",
        10,
        () ->
            Files.readString(log).contains("closes chat " + chatId + " (disposition 'resolved')"));
    assertFinalTranscript(chatId);
    assertThat(
            desk.call("eval", "expression", "window.hachatDesktop.reconnects()")
                .getInteger("value"))
        .as("reconnects of the desktop")
        .isEqualTo(1);

    // another login of the agent takes its place (4009): the page says so and stays away
    AgentApiClient rival =
        dev.hachat.testing.Await.await(
            AgentApiClient.connect(
                cluster.vertx(), "127.0.0.1", cluster.interaction(0).port(), ""));
    AtomicInteger otherClosed = new AtomicInteger();
    rival.onClosed(code -> otherClosed.set(code));
    dev.hachat.testing.Await.await(rival.login("agent1", "Bob", null, null));
    desk.call("waitForSelector", "selector", "#notices li[data-code='REPLACED']");
    Awaitility.await("the replaced desktop does not log in again")
        .during(Duration.ofMillis(AgentSession.RECONNECT_MAX_MS + 500))
        .atMost(Duration.ofSeconds(5))
        .until(() -> otherClosed.get() == 0);
    rival.disconnect();
    System.out.printf(
        "DESKTOP BROWSER RESULT scenario %d ms%n", (System.nanoTime() - started) / 1_000_000);
  }

  /**
   * The chat's final transcript in UCS (PostgreSQL): every message once (no clientMessageId twice
   * from one participant), the consult lines marked internal, the disposition and the statistics of
   * one restore and one transfer between two agents.
   */
  private static void assertFinalTranscript(String chatId) throws Exception {
    dev.hachat.store.spi.ContactHistory history =
        dev.hachat.testing.Await.await(
            dev.hachat.store.ContactHistories.postgres(
                cluster.vertx(), cluster.postgres().options()));
    try {
      JsonObject[] found = {null};
      Awaitility.await("the final transcript in UCS")
          .atMost(Duration.ofSeconds(60))
          .until(() -> (found[0] = dev.hachat.testing.Await.await(history.read(chatId))) != null);
      JsonObject h = found[0];
      List<JsonObject> messages =
          h.getJsonArray("entries").stream()
              .map(JsonObject.class::cast)
              .filter(e -> "Message".equals(e.getString("type")))
              .toList();
      assertThat(
              messages.stream()
                  .map(e -> e.getString("participantId") + "/" + e.getString("clientMessageId"))
                  .toList())
          .as("every message once")
          .doesNotHaveDuplicates();
      assertThat(messages)
          .filteredOn(e -> "Int".equals(e.getString("visibility")))
          .extracting(e -> e.getString("text"))
          .as("the consult lines, marked internal")
          .containsExactly("Can we refund the shipping of A-17?", "Yes, up to 10 euros.");
      assertThat(messages)
          .filteredOn(e -> !"Int".equals(e.getString("visibility")))
          .extracting(e -> e.getString("text"))
          .contains("Dora here: the shipping is refunded.", "Thank you, Dora!");
      assertThat(h.getJsonObject("userData").getString("hachat.disposition")).isEqualTo("resolved");
      JsonObject stats = h.getJsonObject("statistics");
      assertThat(stats.getInteger("transfers")).isEqualTo(1);
      assertThat(stats.getInteger("restores")).isEqualTo(1);
      assertThat(stats.getInteger("agents")).isEqualTo(2);
      assertThat(stats.getLong("queueWaitMillis")).isNotNegative();
      assertThat(h.getString("closeReason")).isEqualTo("AGENT_CLOSED");
    } finally {
      dev.hachat.testing.Await.await(history.shutdown());
    }
  }

  private java.util.Map<String, Object> agentState() throws Exception {
    JsonObject status =
        dev.hachat.testing.Await.await(
                cluster.http().get(cluster.interaction(0).port(), "127.0.0.1", "/status").send())
            .bodyAsJsonObject();
    return status.getJsonArray("agents").stream()
        .map(JsonObject.class::cast)
        .filter(a -> "agent1".equals(a.getString("agentId")))
        .findFirst()
        .orElseThrow()
        .getMap();
  }
}
