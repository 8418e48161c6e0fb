package dev.hachat.common.auth;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthenticatorTest {
  private static final String SECRET_A = "a".repeat(16) + "-first-secret-of-32+";
  private static final String SECRET_B = "b".repeat(16) + "-second-secret-of-32";
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private Path accounts(String... lines) throws Exception {
    Path f = dir.resolve("accounts.yaml");
    Files.writeString(f, "accounts:\n" + String.join("\n", lines) + "\n");
    return f;
  }

  private static String account(String id, String roles, String password) {
    return "  - id: "
        + id
        + "\n    roles: ["
        + roles
        + "]\n    password-hash: \""
        + Passwords.hash(password)
        + "\"";
  }

  private static ErrorCode code(Throwable t) {
    return ((ChatException) t).code();
  }

  @Test
  void a_password_login_gives_the_accounts_roles_and_wrong_or_unknown_look_the_same()
      throws Exception {
    Path f = accounts(account("agent-1", "agent", "correct horse"));
    Authenticator auth =
        await(Authenticator.create(vertx, new SecurityOptions().setAccountsFile(f.toString())));
    Principal p = await(auth.login("agent-1", "correct horse", "10.0.0.1"));
    assertThat(p).isEqualTo(Principal.of("agent-1", Role.AGENT));
    assertThatThrownBy(() -> await(auth.login("agent-1", "wrong", "10.0.0.1")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHORIZED))
        .hasMessage("wrong account or password");
    assertThatThrownBy(() -> await(auth.login("nobody", "wrong", "10.0.0.1")))
        .hasMessage("wrong account or password");
  }

  @Test
  void failed_logins_are_throttled_per_address_and_per_account() throws Exception {
    Path f = accounts(account("agent-1", "agent", "correct horse"));
    Authenticator auth =
        await(
            Authenticator.create(
                vertx,
                new SecurityOptions().setAccountsFile(f.toString()).setLoginFailuresPerMinute(3)));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> await(auth.login("agent-1", "guess", "10.0.0.1")))
          .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHORIZED));
    }
    assertThatThrownBy(() -> await(auth.login("agent-1", "correct horse", "10.0.0.2")))
        .as("the account is throttled from any address, even with the right password")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.RATE_LIMITED));
    assertThatThrownBy(() -> await(auth.login("other", "x", "10.0.0.1")))
        .as("the address is throttled for any account")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.RATE_LIMITED));
  }

  @Test
  void a_valid_token_is_taken_from_an_address_throttled_for_failures() throws Exception {
    Authenticator auth =
        await(
            Authenticator.create(
                vertx,
                new SecurityOptions()
                    .setTokenSecrets(List.of(SECRET_A))
                    .setLoginFailuresPerMinute(3)));
    for (int i = 0; i < 3; i++) {
      assertThatThrownBy(() -> await(auth.verifyToken("forged", "10.0.0.1")))
          .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHORIZED));
    }
    assertThatThrownBy(() -> await(auth.verifyToken("forged", "10.0.0.1")))
        .as("a bad token from the throttled address")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.RATE_LIMITED));
    String peer = auth.issueToken(Principal.of("gms-1", Role.PEER));
    assertThat(await(auth.verifyToken(peer, "10.0.0.1")))
        .as("a valid one from there: the web API server next to the intruder")
        .isEqualTo(Principal.of("gms-1", Role.PEER));
  }

  @Test
  void tokens_verify_across_a_secret_rotation_and_carry_roles() throws Exception {
    Authenticator old =
        await(
            Authenticator.create(vertx, new SecurityOptions().setTokenSecrets(List.of(SECRET_A))));
    String token = old.issueToken(Principal.of("cs1", Role.PEER));
    Authenticator rotated =
        await(
            Authenticator.create(
                vertx, new SecurityOptions().setTokenSecrets(List.of(SECRET_B, SECRET_A))));
    assertThat(await(rotated.verifyToken(token, "10.0.0.1")))
        .isEqualTo(Principal.of("cs1", Role.PEER));
    String fresh = rotated.issueToken(Principal.of("ops", Role.OPERATOR));
    Authenticator onlyNew =
        await(
            Authenticator.create(vertx, new SecurityOptions().setTokenSecrets(List.of(SECRET_B))));
    assertThat(await(onlyNew.verifyToken(fresh, "10.0.0.1")).has(Role.OPERATOR)).isTrue();
    assertThatThrownBy(() -> await(onlyNew.verifyToken(token, "10.0.0.1")))
        .as("a token of a removed secret")
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHORIZED));
    assertThatThrownBy(() -> await(onlyNew.verifyToken(token + "x", "10.0.0.1")))
        .satisfies(e -> assertThat(code(e)).isEqualTo(ErrorCode.UNAUTHORIZED));
  }

  @Test
  void a_changed_accounts_file_is_picked_up_without_a_restart() throws Exception {
    Path f = accounts(account("agent-1", "agent", "first password"));
    // The polls below fail until the reload: with the default throttle (5 a minute) they were
    // refused past the fifth, and the new password was taken only ~12 s in, at the next token.
    SecurityOptions o =
        new SecurityOptions().setAccountsFile(f.toString()).setLoginFailuresPerMinute(10_000);
    Authenticator auth = await(Authenticator.create(vertx, o));
    assertThat(await(auth.login("agent-1", "first password", "a"))).isNotNull();
    accounts(account("agent-1", "agent,supervisor", "second password"));
    Files.setLastModifiedTime(f, FileTime.from(Instant.now().plusSeconds(5)));
    Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(15))
        .ignoreExceptions()
        .until(() -> await(auth.login("agent-1", "second password", "b")).has(Role.SUPERVISOR));
    auth.close();
  }

  @Test
  void an_open_process_may_bind_only_loopback() {
    SecurityOptions open = new SecurityOptions();
    open.refuseOpenBeyondLoopback(java.util.Map.of("esp.host", "127.0.0.1"));
    assertThatThrownBy(
            () -> open.refuseOpenBeyondLoopback(java.util.Map.of("admin.host", "0.0.0.0")))
        .hasMessageContaining("option 'admin.host'")
        .hasMessageContaining("security.token-secrets");
    new SecurityOptions()
        .setTokenSecrets(List.of(SECRET_A))
        .refuseOpenBeyondLoopback(java.util.Map.of("admin.host", "0.0.0.0"));
  }
}
