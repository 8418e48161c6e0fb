package dev.hachat.server.auth;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Passwords;
import dev.hachat.common.auth.SecurityOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** An accounts file with one account per role, its password "pw-" + id, and a token secret. */
public final class TestAccounts {
  public static final String SECRET = "test-secret-test-secret-test-secret-0123";

  private TestAccounts() {}

  /** Security options of agent-1, sup-1, wf-1 and op-1 (failures per minute: 3). */
  public static SecurityOptions options(Path dir) throws Exception {
    Path f = dir.resolve("accounts.yaml");
    Files.writeString(
        f,
        "accounts:\n"
            + account("agent-1", "agent")
            + account("agent-2", "agent")
            + account("sup-1", "supervisor")
            + account("wf-1", "workflow")
            + account("op-1", "operator"));
    return new SecurityOptions()
        .setAccountsFile(f.toString())
        .setTokenSecrets(List.of(SECRET))
        .setLoginFailuresPerMinute(3)
        .setLoginTimeout(1);
  }

  public static Future<Authenticator> authenticator(Vertx vertx, Path dir) throws Exception {
    return Authenticator.create(vertx, options(dir));
  }

  private static String account(String id, String role) {
    return "  - id: "
        + id
        + "\n    roles: ["
        + role
        + "]\n    password-hash: \""
        + Passwords.hash("pw-" + id)
        + "\"\n";
  }
}
