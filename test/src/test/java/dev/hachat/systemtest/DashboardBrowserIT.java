package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The dashboard page ({@code /dashboard.html} of a web API server) in a real headless Chromium,
 * against real processes: Cassandra, three instances and a web API server. Customers chat through
 * the web API server; cs2 is disabled and cs3 killed with kill -9; the page must show each
 * instance's state as the state table reports it (normal, disabled, failed), its open chats and a
 * non-zero message rate. Leaves a screenshot in {@code test/target/dashboard.png} (the one in
 * {@code docs/dashboard.png} comes from such a run).
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DashboardBrowserIT {
  static final int CHATS = 9;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("dashboard_browser")
          .instances(3)
          .webApiServers(1)
          .build();

  final AtomicBoolean chatting = new AtomicBoolean(true);
  BrowserDriver browser;
  Thread talker;

  @BeforeAll
  static void installBrowser() throws Exception {
    BrowserDriver.install();
  }

  @AfterAll
  void stop() throws Exception {
    chatting.set(false);
    if (talker != null) {
      talker.join(30_000);
    }
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void the_dashboard_shows_each_instance_state_sessions_and_message_rate() throws Exception {
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    List<GmsCustomers.Chat> chats = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      chats.add(customers.requestChat(cluster.webApi(0).port(), "Customer" + i));
    }
    // cs3 is killed: its chats move on with the next request, so keep them talking.
    talker =
        new Thread(
            () -> {
              int n = 0;
              while (chatting.get()) {
                for (GmsCustomers.Chat c : chats) {
                  try {
                    customers.send(c, "m-" + n++, "hello " + n);
                  } catch (Exception | AssertionError e) {
                    // a send during the failover may fail; the page is what is under test
                  }
                }
              }
            },
            "dashboard-talker");
    talker.setDaemon(true);
    talker.start();

    InstanceProcess cs2 = cluster.instance(1);
    InstanceProcess cs3 = cluster.instance(2);
    JsonObject disabled =
        await(cluster.http().post(cs2.adminPort(), "127.0.0.1", "/admin/disable").send())
            .bodyAsJsonObject();
    assertThat(disabled.getString("state")).isEqualTo("disabled");
    cs3.kill();

    browser =
        BrowserDriver.open("http://127.0.0.1:" + cluster.webApi(0).port() + "/dashboard.html");
    browser.call("viewport", "width", 1200, "height", 420);
    browser.call("waitForSelector", "selector", "tr[data-instance='cs1'][data-state='normal']");
    browser.call("waitForSelector", "selector", "span[data-server='gms1'][data-state='normal']");
    browser.call("waitForSelector", "selector", "tr[data-instance='cs2'][data-state='disabled']");
    browser.call(
        "waitForSelector",
        "selector",
        "tr[data-instance='cs3'][data-state='failed']",
        "timeoutMs",
        30_000);
    FailoverClients.awaitCondition(
        "the web API server counts every chat on cs1 and cs2", 60, () -> openChats() == CHATS);
    FailoverClients.awaitCondition(
        "the page counts every chat and a message rate",
        30,
        () ->
            text("#t-sessions").equals(String.valueOf(CHATS))
                && Double.parseDouble(text("#t-rate")) > 0);

    assertThat(text("#t-instances")).isEqualTo("2 / 3");
    List<String> states = texts("#rows tr td:nth-child(2)");
    // cs1 took cs3's chats: "restoring" while its session_restored counter rose lately
    assertThat(states.get(0)).isIn("normal", "restoring");
    assertThat(states.subList(1, 3)).containsExactly("disabled", "failed");
    assertThat(Long.parseLong(text("#t-restored")))
        .as("chats restored, as the page sums them")
        .isPositive();
    Path shot = InstanceProcess.home().resolve("test/target/dashboard.png");
    Files.createDirectories(shot.getParent());
    browser.call("screenshot", "path", shot.toString());
    System.out.println("screenshot of the dashboard: " + shot);
  }

  private long openChats() throws Exception {
    return table().getJsonArray("instances").stream()
        .map(JsonObject.class::cast)
        .filter(i -> i.getBoolean("alive"))
        .mapToLong(i -> i.getLong("sessions"))
        .sum();
  }

  private JsonObject table() throws Exception {
    return await(cluster.http().get(cluster.webApi(0).port(), "127.0.0.1", "/instances").send())
        .bodyAsJsonObject();
  }

  private String text(String selector) throws Exception {
    List<String> t = texts(selector);
    return t.isEmpty() ? "" : t.get(0);
  }

  private List<String> texts(String selector) throws Exception {
    return browser.call("texts", "selector", selector).getJsonArray("texts").stream()
        .map(String.class::cast)
        .toList();
  }
}
