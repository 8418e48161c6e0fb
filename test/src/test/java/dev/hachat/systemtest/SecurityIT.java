package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.Passwords;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.esp.protocol.EspFrames;
import dev.hachat.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Security on, real processes (Cassandra, one instance, one web API server) with an accounts file
 * and a token secret: ESP logins and roles, the admin guard, the peer token of the web API server,
 * the login timeout, and the refusal to start open beyond loopback.
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@org.junit.jupiter.api.TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SecurityIT {
  static final String SECRET = "system-test-secret-0123456789abcdefghij";
  final Vertx vertx = Vertx.vertx();
  final WebClient http = WebClient.create(vertx);
  InstanceProcess instance;
  WebApiProcess gms;
  Path dir;

  static <T> T await(Future<T> f) throws Exception {
    return Await.await(f, Duration.ofSeconds(20));
  }

  static ErrorCode failure(Future<?> f) {
    try {
      await(f);
      return null;
    } catch (ChatException e) {
      return e.code();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @BeforeAll
  void start() throws Exception {
    dir = Files.createTempDirectory("security-it");
    StringBuilder yaml = new StringBuilder("accounts:\n");
    for (String[] a :
        new String[][] {
          {"agent-1", "agent"}, {"agent-2", "agent"}, {"sup-1", "supervisor"},
          {"wf-1", "workflow"}, {"op-1", "operator"}, {"agent-9", "agent"}
        }) {
      yaml.append("  - id: ")
          .append(a[0])
          .append("\n    roles: [")
          .append(a[1])
          .append("]\n    password-hash: \"")
          .append(Passwords.hash("pw-" + a[0]))
          .append("\"\n");
    }
    Path accounts = dir.resolve("accounts.yaml");
    Files.writeString(accounts, yaml);
    Map<String, String> props = SharedCassandra.instanceProperties("security_it");
    props.put("hachat.security.token-secrets", SECRET);
    props.put("hachat.security.accounts-file", accounts.toString());
    props.put("hachat.security.login-failures-per-minute", "3");
    props.put("hachat.security.login-timeout", "3");
    instance = InstanceProcess.start("cs-sec", props);
    Map<String, String> g = WebApiProcess.cassandraProperties("security_it");
    g.put("gms.directory.poll-interval", "200");
    g.put("gms.security.token-secrets", SECRET);
    g.put("gms.security.accounts-file", accounts.toString());
    gms = WebApiProcess.start("gms-sec", g);
    FailoverClients.awaitCondition(
        "the web API server sees the instance",
        30,
        () -> await(http.get(gms.port(), "127.0.0.1", "/health").send()).statusCode() == 200);
  }

  @AfterAll
  void stop() throws Exception {
    if (gms != null) {
      gms.close();
    }
    if (instance != null) {
      instance.close();
    }
    await(vertx.close());
  }

  EspClient esp() throws Exception {
    return await(EspClient.connect(vertx, new EspClientOptions().setPort(instance.espPort())));
  }

  EspClient as(String account) throws Exception {
    EspClient c = esp();
    await(c.loginWithPassword(account, account, "pw-" + account));
    return c;
  }

  HttpResponse<Buffer> admin(String method, String path, String authorization) throws Exception {
    var req =
        method.equals("POST")
            ? http.post(instance.adminPort(), "127.0.0.1", path)
            : http.get(instance.adminPort(), "127.0.0.1", path);
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return await(req.send());
  }

  /**
   * Last (tests without an order come at Integer.MAX_VALUE / 2): it throttles every password login
   * from 127.0.0.1 for a minute.
   */
  @Test
  @Order(Integer.MAX_VALUE)
  void wrong_passwords_are_refused_then_rate_limited() throws Exception {
    // A connection per attempt: each has only security.login-timeout to log in.
    assertThat(failure(esp().login("agent-9", "X", null))).isEqualTo(ErrorCode.UNAUTHORIZED);
    for (int i = 0; i < 3; i++) {
      assertThat(failure(esp().loginWithPassword("agent-9", "X", "guess")))
          .isEqualTo(ErrorCode.UNAUTHORIZED);
    }
    assertThat(failure(esp().loginWithPassword("agent-9", "X", "pw-agent-9")))
        .isEqualTo(ErrorCode.RATE_LIMITED);
  }

  @Test
  void roles_and_memberships_over_the_esp_port_and_a_customer_chat_end_to_end() throws Exception {
    GmsCustomers customers = new GmsCustomers(vertx);
    GmsCustomers.Chat chat = customers.requestChat(gms.port(), "Ann");
    assertThat(chat.alias).isEqualTo("cs-sec");
    EspClient agent = as("agent-1");
    EspClient other = as("agent-2");
    assertThat(failure(agent.observe(chat.chatId))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(agent.interactionStopped(chat.chatId))).isEqualTo(ErrorCode.FORBIDDEN);
    await(agent.accept(chat.chatId));
    assertThat(failure(other.send(chat.chatId, "x1", "hijack"))).isEqualTo(ErrorCode.FORBIDDEN);
    assertThat(failure(other.close(chat.chatId))).isEqualTo(ErrorCode.FORBIDDEN);
    await(agent.send(chat.chatId, "a1", "Hello Ann, agent here"));
    customers.send(chat, "c1", "hi");
    assertThat(customers.transcript(chat).encode())
        .contains("Hello Ann, agent here")
        .doesNotContain("hijack");
    await(as("sup-1").observe(chat.chatId));
    await(as("wf-1").interactionStopped(chat.chatId));
  }

  @Test
  void admin_state_changes_and_history_need_an_operator_or_a_peer() throws Exception {
    String agent = HttpCredentials.basic("agent-1", "pw-agent-1");
    String operator = HttpCredentials.basic("op-1", "pw-op-1");
    String peer = "Bearer " + peerToken();
    for (String[] call : new String[][] {{"POST", "/admin/enable"}, {"GET", "/history/nope"}}) {
      HttpResponse<Buffer> none = admin(call[0], call[1], null);
      assertThat(none.statusCode()).as(call[1]).isEqualTo(401);
      assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"hachat\"");
      assertThat(none.bodyAsJsonObject().getJsonObject("error").getString("code"))
          .isEqualTo("UNAUTHORIZED");
      assertThat(admin(call[0], call[1], agent).statusCode()).as(call[1]).isEqualTo(403);
      int expected = call[0].equals("POST") ? 200 : 404; // no such chat, but let in
      assertThat(admin(call[0], call[1], operator).statusCode()).as(call[1]).isEqualTo(expected);
      assertThat(admin(call[0], call[1], peer).statusCode()).as(call[1]).isEqualTo(expected);
    }
    assertThat(admin("GET", "/health", null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/metrics", null).statusCode()).isEqualTo(200);
    assertThat(admin("GET", "/kpi", null).statusCode()).isEqualTo(200);
  }

  @Test
  void the_state_table_needs_an_operator_and_instances_create_chats_only_for_peers()
      throws Exception {
    HttpResponse<Buffer> none = await(http.get(gms.port(), "127.0.0.1", "/instances").send());
    assertThat(none.statusCode()).isEqualTo(401);
    HttpResponse<Buffer> op =
        await(
            http.get(gms.port(), "127.0.0.1", "/instances")
                .putHeader("Authorization", HttpCredentials.basic("op-1", "pw-op-1"))
                .send());
    assertThat(op.statusCode()).isEqualTo(200);
    HttpResponse<Buffer> direct =
        await(
            http.post(instance.webapiPort(), "127.0.0.1", "/v1/chats")
                .sendJsonObject(new io.vertx.core.json.JsonObject().put("nickname", "Eve")));
    assertThat(direct.statusCode()).isEqualTo(401);
  }

  @Test
  void a_silent_esp_socket_is_closed_after_the_login_timeout() throws Exception {
    EspClient c = esp();
    AtomicInteger code = new AtomicInteger();
    c.onDisconnected(s -> code.set(s));
    FailoverClients.awaitCondition("the silent socket is closed", 10, () -> code.get() != 0);
    assertThat(code.get()).isEqualTo(EspFrames.CLOSE_LOGIN_TIMEOUT);
  }

  @Test
  void an_open_instance_beyond_loopback_refuses_to_start() throws Exception {
    for (String option : List.of("esp.host", "admin.host")) {
      List<String> cmd = new ArrayList<>();
      cmd.add(InstanceProcess.javaBin());
      cmd.add("-Dhachat.store.type=memory");
      cmd.add("-Dhachat.ucs.enabled=false");
      cmd.add("-Dhachat." + option + "=0.0.0.0");
      cmd.addAll(List.of("-jar", InstanceProcess.jar().toString()));
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      try {
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains(option);
      } finally {
        p.destroyForcibly();
      }
    }
  }

  /** A peer token as another process of the cluster would mint it (same secret). */
  private String peerToken() throws Exception {
    dev.hachat.common.auth.Authenticator a =
        await(
            dev.hachat.common.auth.Authenticator.create(
                vertx,
                new dev.hachat.common.auth.SecurityOptions().setTokenSecrets(List.of(SECRET))));
    return a.issueToken(
        dev.hachat.common.auth.Principal.of("cs-other", dev.hachat.common.auth.Role.PEER));
  }
}
