package dev.hachat.interaction;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.auth.Passwords;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.interaction.client.AgentApiClient;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.server.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web desktop's canned responses and dispositions ({@code desktop.*}) reach an agent in its
 * login reply over a real agent API socket, and nobody else: a wrong password, a supervisor without
 * the agent role and a request before the login get an error and no lists. The page itself is
 * served at {@code /desktop}, under the server's CSP.
 */
class DesktopSettingsTest {
  private static final String SECRET = "s".repeat(16) + "-desktop-secret-32+";
  private final TestNodes nodes = TestNodes.inMemory();
  private InteractionServer ixn;
  private AgentApiClient client;
  @TempDir Path dir;

  @AfterEach
  void stop() throws Exception {
    if (client != null) {
      client.disconnect();
    }
    if (ixn != null) {
      await(ixn.stop());
    }
    nodes.close();
  }

  private void start(boolean secured) throws Exception {
    InteractionOptions o = new InteractionOptions().setId("ixn-desk").setRegistryPollInterval(50);
    o.getHttp().setPort(0);
    o.getDesktop()
        .setCannedResponses(List.of("Hi, I'm here to help.", "Anything else?"))
        .setDispositions(List.of("resolved", "callback"));
    if (secured) {
      Path accounts = dir.resolve("accounts.yaml");
      Files.writeString(
          accounts,
          "accounts:\n"
              + account("ann", "agent", "ann's password")
              + account("sue", "supervisor", "sue's password"));
      o.getSecurity().setAccountsFile(accounts.toString()).setTokenSecrets(List.of(SECRET));
    }
    ixn = await(InteractionServer.start(nodes.vertx(), o, nodes.registry(), null));
    client = await(AgentApiClient.connect(nodes.vertx(), "127.0.0.1", ixn.port(), ""));
  }

  private static String account(String id, String role, String password) {
    return "  - id: %s\n    roles: [%s]\n    password-hash: \"%s\"\n"
        .formatted(id, role, Passwords.hash(password));
  }

  private static ErrorCode code(Throwable t) {
    return t instanceof ChatException ce ? ce.code() : null;
  }

  @Test
  void a_logged_in_agent_gets_the_canned_responses_and_dispositions_in_its_login_reply()
      throws Exception {
    start(true);
    assertThatThrownBy(() -> await(client.status()))
        .as("before the login")
        .extracting(DesktopSettingsTest::code)
        .isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThatThrownBy(() -> await(client.login("ann", "Ann", "wrong", null)))
        .extracting(DesktopSettingsTest::code)
        .isEqualTo(ErrorCode.UNAUTHORIZED);
    assertThatThrownBy(() -> await(client.login("sue", "Sue", "sue's password", null)))
        .as("no agent role")
        .extracting(DesktopSettingsTest::code)
        .isEqualTo(ErrorCode.FORBIDDEN);

    JsonObject me = await(client.login("ann", "Ann", "ann's password", null));
    assertThat(me.getString("agentId")).isEqualTo("ann");
    JsonObject desktop = me.getJsonObject("desktop");
    assertThat(desktop.getJsonArray("cannedResponses"))
        .isEqualTo(new JsonArray(List.of("Hi, I'm here to help.", "Anything else?")));
    assertThat(desktop.getJsonArray("dispositions"))
        .isEqualTo(new JsonArray(List.of("resolved", "callback")));
  }

  @Test
  void an_open_server_on_loopback_hands_them_to_an_agent_id_alone_and_serves_the_page()
      throws Exception {
    start(false);
    JsonObject me = await(client.login("bob", "", null, null));
    assertThat(me.getJsonObject("desktop").getJsonArray("cannedResponses")).hasSize(2);
    WebClient http = WebClient.create(nodes.vertx());
    for (String path : List.of("/desktop", "/desktop.html")) {
      var page = await(http.get(ixn.port(), "127.0.0.1", path).send());
      assertThat(page.statusCode()).as(path).isEqualTo(200);
      assertThat(page.bodyAsString()).contains("Agent desktop").doesNotContain("<script>");
      assertThat(page.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    }
  }

  @Test
  void a_browser_on_another_sites_page_cannot_open_the_agent_api() throws Exception {
    start(false); // open mode on loopback: the case a foreign page could abuse
    io.vertx.core.http.WebSocketClient ws = nodes.vertx().createWebSocketClient();
    io.vertx.core.http.WebSocketConnectOptions evil =
        new io.vertx.core.http.WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(ixn.port())
            .setURI("/agent")
            .addHeader("Origin", "https://evil.example");
    assertThatThrownBy(() -> await(ws.connect(evil))).hasMessageContaining("403");
    io.vertx.core.http.WebSocketConnectOptions own =
        new io.vertx.core.http.WebSocketConnectOptions()
            .setHost("127.0.0.1")
            .setPort(ixn.port())
            .setURI("/agent")
            .addHeader("Origin", "http://127.0.0.1:" + ixn.port());
    await(await(ws.connect(own)).close());
    await(ws.close());
  }
}
