package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.esp.protocol.EspFrames;
import dev.hachat.server.auth.TestAccounts;
import dev.hachat.server.session.Joined;
import dev.hachat.store.Entry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ESP port with security on: account and token logins, roles, chats not joined, timeout. */
class EspSecurityTest extends EspTestBase {
  @TempDir Path dir;
  private Authenticator auth;
  private int securePort;

  @BeforeEach
  void startSecurePort() throws Exception {
    auth = await(TestAccounts.authenticator(vertx, dir));
    securePort = await(EspServer.create(vertx, engine, options, auth, 2000).listen());
  }

  private EspClient secure() throws Exception {
    return await(EspClient.connect(vertx, new EspClientOptions().setPort(securePort)));
  }

  private EspClient as(String account) throws Exception {
    EspClient c = secure();
    await(c.loginWithPassword(account, account, "pw-" + account));
    return c;
  }

  @Test
  void login_without_credentials_or_with_a_wrong_password_is_unauthorized() throws Exception {
    EspClient c = secure();
    assertFailsWith(ErrorCode.UNAUTHORIZED, c.login("agent-1", "Bob", null));
    assertFailsWith(ErrorCode.UNAUTHORIZED, c.loginWithPassword("agent-1", "Bob", "guess"));
    assertFailsWith(ErrorCode.UNAUTHORIZED, c.login("agent-1", "Bob", "not-a-token"));
    assertFailsWith(ErrorCode.UNAUTHORIZED, c.listWaiting());
  }

  @Test
  void repeated_failures_are_rate_limited_even_with_the_right_password() throws Exception {
    // A connection per attempt: each has only the login timeout (2 s here) to log in.
    for (int i = 0; i < 3; i++) {
      assertFailsWith(
          ErrorCode.UNAUTHORIZED, secure().loginWithPassword("agent-1", "Bob", "guess"));
    }
    assertFailsWith(
        ErrorCode.RATE_LIMITED, secure().loginWithPassword("agent-1", "Bob", "pw-agent-1"));
    assertThat(engine.kpi().toJson().getLong("limit_logins")).isEqualTo(1);
  }

  @Test
  void a_token_logs_in_as_its_subject() throws Exception {
    EspClient c = secure();
    await(c.login("whoever", "Bob", auth.issueToken(Principal.of("agent-1", Role.AGENT))));
    assertThat(await(c.listWaiting())).isEmpty();
    assertFailsWith(ErrorCode.FORBIDDEN, c.observe(customer().chatId()));
  }

  @Test
  void an_agent_cannot_observe_or_stop_an_interaction() throws Exception {
    EspClient agent = as("agent-1");
    Joined chat = customer();
    assertFailsWith(ErrorCode.FORBIDDEN, agent.observe(chat.chatId()));
    assertFailsWith(ErrorCode.FORBIDDEN, agent.interactionStopped(chat.chatId()));
    assertFailsWith(ErrorCode.FORBIDDEN, agent.queueNotice(chat.chatId(), "you are number 1"));
    assertThat(await(agent.accept(chat.chatId())).chatId()).isEqualTo(chat.chatId());
  }

  @Test
  void an_agent_cannot_touch_a_chat_it_did_not_join() throws Exception {
    EspClient owner = as("agent-1");
    EspClient other = as("agent-2");
    Joined chat = customer();
    await(owner.accept(chat.chatId()));
    String id = chat.chatId();
    assertFailsWith(ErrorCode.FORBIDDEN, other.send(id, "m1", "hijack"));
    assertFailsWith(ErrorCode.FORBIDDEN, other.typing(id, true));
    assertFailsWith(ErrorCode.FORBIDDEN, other.refresh(id, 0));
    assertFailsWith(ErrorCode.FORBIDDEN, other.leave(id));
    assertFailsWith(ErrorCode.FORBIDDEN, other.close(id));
    assertThat(
            await(session(chat).entriesAfter(chat.participantId(), chat.secureKey(), 0))
                .chatEnded())
        .isFalse();
  }

  @Test
  void a_supervisor_observes_and_the_workflow_stops_interactions() throws Exception {
    Joined chat = customer();
    AcceptedChat seen = await(as("sup-1").observe(chat.chatId()));
    assertThat(seen.chatId()).isEqualTo(chat.chatId());
    assertFailsWith(ErrorCode.FORBIDDEN, as("sup-1").accept(chat.chatId()));
    Entry notice = await(as("wf-1").queueNotice(chat.chatId(), "You are number 1 in the queue."));
    assertThat(notice.type()).isEqualTo(dev.hachat.store.EntryType.NOTICE);
    assertThat(
            await(session(chat).entriesAfter(chat.participantId(), chat.secureKey(), 0)).entries())
        .extracting(Entry::text)
        .contains("You are number 1 in the queue.");
    await(as("wf-1").interactionStopped(chat.chatId()));
  }

  @Test
  void a_silent_socket_is_closed_after_the_login_timeout() throws Exception {
    EspClient c = secure();
    AtomicInteger code = new AtomicInteger();
    c.onDisconnected(s -> code.set(s));
    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> code.get() != 0);
    assertThat(code.get()).isEqualTo(EspFrames.CLOSE_LOGIN_TIMEOUT);
    assertThat(engine.kpi().toJson().getLong("limit_first_frame_timeouts")).isEqualTo(1);
  }

  @Test
  void a_logged_in_socket_outlives_the_login_timeout() throws Exception {
    EspClient c = as("agent-1");
    AtomicInteger code = new AtomicInteger();
    c.onDisconnected(s -> code.set(s));
    org.awaitility.Awaitility.await()
        .pollDelay(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(4))
        .until(() -> true);
    assertThat(code.get()).isZero();
    assertThat(await(c.listWaiting())).isNotNull();
  }

  @Test
  void roles_needed_per_operation() {
    assertThat(EspRoles.needed(EspFrames.OP_ACCEPT)).containsExactly(Role.AGENT);
    assertThat(EspRoles.needed(EspFrames.OP_OBSERVE)).containsExactly(Role.SUPERVISOR);
    assertThat(EspRoles.needed(EspFrames.OP_INTERACTION_STOPPED)).containsExactly(Role.WORKFLOW);
    assertThat(EspRoles.needed(EspFrames.OP_LIST_WAITING))
        .containsExactlyInAnyOrder(Role.AGENT, Role.SUPERVISOR, Role.WORKFLOW);
    assertThat(EspRoles.needed(EspFrames.OP_SEND)).isEmpty();
  }
}
