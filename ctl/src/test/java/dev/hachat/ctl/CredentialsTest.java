package dev.hachat.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.ctl.admin.Credentials;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {
  @TempDir Path dir;

  private static String basic(String user, String password) {
    return "Basic "
        + Base64.getEncoder()
            .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_user_with_the_first_line_of_a_password_file() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), " s3cret with spaces \nsecond line\n");
    Credentials c = Credentials.resolve("op-1", pw, null, Map.of(), null);
    assertThat(c.header()).contains(basic("op-1", " s3cret with spaces "));
    assertThat(c.description()).isEqualTo("account op-1").doesNotContain("s3cret");
    assertThat(c.toString()).doesNotContain("s3cret");
  }

  @Test
  void the_environment_fills_in_what_the_options_do_not_say() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "from-file\r\n");
    Path token = Files.writeString(dir.resolve("token"), "  eyJ.token.sig \n");
    assertThat(
            Credentials.resolve(
                    null,
                    null,
                    null,
                    Map.of("HACHATCTL_USER", "op-2", "HACHATCTL_PASSWORD_FILE", pw.toString()),
                    null)
                .header())
        .contains(basic("op-2", "from-file"));
    assertThat(
            Credentials.resolve("op-1", null, null, Map.of("HACHATCTL_PASSWORD", "from-env"), null)
                .header())
        .contains(basic("op-1", "from-env"));
    assertThat(
            Credentials.resolve(
                    null, null, null, Map.of("HACHATCTL_TOKEN_FILE", token.toString()), null)
                .header())
        .contains("Bearer eyJ.token.sig");
    assertThat(Credentials.resolve(null, null, null, Map.of(), null).present()).isFalse();
  }

  @Test
  void contradictions_and_missing_secrets_are_usage_errors() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "x\n");
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertUsage(() -> Credentials.resolve("op-1", null, pw, Map.of(), null), "not both");
    assertUsage(() -> Credentials.resolve(null, pw, null, Map.of(), null), "needs --user");
    assertUsage(() -> Credentials.resolve("op-1", null, null, Map.of(), null), "needs a password");
    assertUsage(() -> Credentials.resolve("op-1", empty, null, Map.of(), null), "empty");
    assertUsage(
        () -> Credentials.resolve("op-1", dir.resolve("missing"), null, Map.of(), null),
        "cannot read");
  }

  private static void assertUsage(Runnable r, String message) {
    assertThatThrownBy(r::run)
        .isInstanceOfSatisfying(
            CtlException.class, e -> assertThat(e.kind()).isEqualTo(ExitCode.USAGE))
        .hasMessageContaining(message);
  }
}
