package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The demo widget page in a real headless Chromium, all real processes: Cassandra, two instances,
 * one web API server serving the page, an agent on the ESP port. A customer starts a chat in the
 * page and exchanges messages with the agent; the instance owning the chat is killed with kill -9;
 * the customer's next message still goes through, reaches the agent exactly once, and the agent's
 * reply shows in the page. Installs Chromium and playwright-core first if they are missing (fails
 * if it cannot). Leaves a screenshot of the final page in {@code test/target/widget.png} (the one
 * in {@code docs/widget.png} comes from such a run).
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS) // the browser is closed by a non-static @AfterAll
class WidgetBrowserIT {
  // The web API server gives up on a dead owner after 1 s (default 30 s) and answers statusCode
  // 1, before a survivor can restore the chat (instances' heartbeat-timeout is 3 s): so the page
  // itself must retry, with the same messageId, through the failover.
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("widget_browser")
          .instances(2)
          .webApiServers(1)
          .webApiProperty("gms.routing.request-timeout", "1000")
          .webApiProperty("gms.routing.failover-deadline", "1000")
          .build();

  BrowserDriver browser;

  @BeforeAll
  static void installBrowser() throws Exception {
    BrowserDriver.install();
  }

  @AfterAll
  void closeBrowser() throws InterruptedException {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void a_customer_chats_in_the_browser_and_the_page_survives_a_kill_of_the_owning_instance()
      throws Exception {
    FailoverClients agentSide = new FailoverClients(cluster.vertx(), cluster.addresses());
    List<Entry> agentSaw = new CopyOnWriteArrayList<>();
    agentSide.onAgentEntry((chat, e) -> agentSaw.add(e));
    browser =
        BrowserDriver.open(
            "http://127.0.0.1:"
                + cluster.webApi(0).port()
                + "/?retryMin=200&retryMax=1500&pollInterval=700");

    JsonObject started =
        browser.call("start", "nickname", "Ann", "subject", "Where is my order A-17?");
    String chatId = started.getString("chatId");
    String owner = started.getString("alias");
    assertThat(chatId).as("chat id from the page").isNotBlank();
    AgentSeat seat = agentSide.accept(chatId);
    browser.call("waitFor", "text", "Bob joined the chat.", "timeoutMs", 15_000);

    String first = "Hello, my order A-17 has not arrived.";
    browser.call("send", "text", first);
    awaitAgentSaw(agentSaw, first);
    String reply1 = "Sorry to hear that, Ann. Let me check.";
    agentSide.agentSend(seat, "a-1", reply1);
    browser.call("waitFor", "text", reply1, "timeoutMs", 15_000);

    owner = browser.call("state").getString("alias", owner);
    InstanceProcess victim = cluster.instance(owner);
    assertThat(
            InstanceGroup.kpi(WebClient.create(cluster.vertx()), victim).getLong("sessions_active"))
        .as("%s (the alias of the last response) holds the chat", owner)
        .isEqualTo(1);
    victim.kill();
    System.out.printf("kill -9 of %s, the instance owning chat %s%n", owner, chatId);

    String second = "Are you still there?";
    JsonObject sent = browser.call("send", "text", second, "timeoutMs", 60_000);
    System.out.printf(
        "WIDGET FAILOVER send after kill delivered in %d ms via %s (widget counters %s)%n",
        sent.getLong("tookMs"), sent.getString("alias"), sent.getJsonObject("stats").encode());
    awaitAgentSaw(agentSaw, second);
    String reply2 = "Yes! Your parcel ships today.";
    agentSide.agentSend(seat, "a-2", reply2);
    JsonObject end = browser.call("waitFor", "text", reply2, "timeoutMs", 30_000);

    assertThat(end.getString("alias")).as("served by a survivor").isNotEqualTo(owner);
    assertThat(end.getJsonObject("stats").getLong("retries"))
        .as("requests the page itself retried during the failover")
        .isPositive();
    assertThat(end.getString("statusState")).as(end.getString("status")).isEqualTo("ok");
    for (String text : List.of(first, second)) {
      assertThat(agentSaw.stream().filter(e -> isMessage(e, text)))
          .as("the agent received '%s' exactly once", text)
          .hasSize(1);
    }
    List<JsonObject> page = BrowserDriver.transcript(end);
    List<String> bubbles =
        page.stream()
            .filter(m -> m.getString("kind").startsWith("msg"))
            .map(m -> m.getString("text"))
            .toList();
    assertThat(bubbles)
        .as("the page shows every message once, in order")
        .containsExactly(first, reply1, second, reply2);
    List<Long> indexes =
        page.stream()
            .filter(m -> m.getValue("index") != null)
            .map(m -> m.getLong("index"))
            .toList();
    assertThat(indexes).as("page entries in transcript order").isSorted().doesNotHaveDuplicates();

    Path shot = InstanceProcess.home().resolve("test/target/widget.png");
    Files.createDirectories(shot.getParent());
    browser.call("screenshot", "path", shot.toString());
    System.out.println("screenshot of the final page: " + shot);
  }

  private static boolean isMessage(Entry e, String text) {
    return e.type() == EntryType.MESSAGE && text.equals(e.text());
  }

  private static void awaitAgentSaw(List<Entry> agentSaw, String text) throws Exception {
    FailoverClients.awaitCondition(
        "the agent receives '" + text + "'",
        60,
        () -> agentSaw.stream().anyMatch(e -> isMessage(e, text)));
  }
}
