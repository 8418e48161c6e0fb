package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.config.GmsOptions;
import dev.hachat.server.config.ChatServerOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The systemd units of {@code deploy/systemd/} pass {@code systemd-analyze verify} with nothing to
 * say (it exits 0 on a misspelt key or an unparsable value, printing a warning, so any output
 * counts as a problem), and their example environment files hold only real option names.
 */
@Tag("system")
class SystemdUnitsIT {
  static final Path DIR = InstanceProcess.home().resolve("deploy/systemd");
  static final List<String> UNITS =
      List.of("hachat-chat-server@.service", "hachat-webapi@.service");

  @Test
  void shipped_units_verify_clean() throws Exception {
    for (String unit : UNITS) {
      assertThat(problems(DIR.resolve(unit))).as(unit).isEmpty();
    }
  }

  @Test
  void the_check_catches_a_misspelt_key_a_bad_value_and_a_missing_program(@TempDir Path tmp)
      throws Exception {
    String good = Files.readString(DIR.resolve("hachat-chat-server@.service"));
    Map<String, String> faults =
        Map.of(
            "Restart=on-failure", "Restrt=on-failure",
            "TimeoutStopSec=90s", "TimeoutStopSec=ninety",
            "ExecStart=/usr/bin/java", "ExecStart=/usr/bin/no-such-java");
    for (Map.Entry<String, String> f : faults.entrySet()) {
      assertThat(good).contains(f.getKey());
      Path broken = tmp.resolve("broken" + Math.abs(f.getValue().hashCode()) + "@.service");
      Files.writeString(broken, good.replace(f.getKey(), f.getValue()));
      assertThat(problems(broken)).as(f.getValue()).isNotEmpty();
    }
  }

  /**
   * The part of a production configuration file the guide asks for beside the environment files:
   * credentials, without which a non-loopback bind refuses to start.
   */
  static final Map<String, String> SECURED =
      Map.of("hachat.security.accounts-file", "/etc/hachat/accounts.yaml");

  static final Map<String, String> SECURED_GMS =
      Map.of("gms.security.accounts-file", "/etc/hachat/accounts.yaml");

  @Test
  void example_environment_files_name_real_options() throws Exception {
    Map<String, String> cs = envFile(DIR.resolve("chat-server.env.example"));
    assertThat(cs).containsKey("HACHAT_ESP_PORT");
    ChatServerOptions o =
        ChatServerOptions.loader()
            .load(InstanceProcess.home().resolve("config/chat-server.yaml"), cs, SECURED);
    assertThat(o.getEsp().getPort()).isEqualTo(Integer.parseInt(cs.get("HACHAT_ESP_PORT")));

    Map<String, String> gms = envFile(DIR.resolve("webapi.env.example"));
    assertThat(gms).containsKey("GMS_HTTP_PORT");
    GmsOptions g =
        GmsOptions.loader()
            .load(InstanceProcess.home().resolve("config/webapi.yaml"), gms, SECURED_GMS);
    assertThat(g.getHttp().getPort()).isEqualTo(Integer.parseInt(gms.get("GMS_HTTP_PORT")));
  }

  /** What {@code systemd-analyze verify} prints about {@code unit}, exit code included. */
  static List<String> problems(Path unit) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder("systemd-analyze", "verify", "--man=no", unit.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("systemd-analyze ends").isTrue();
    List<String> problems = new ArrayList<>();
    out.lines().filter(l -> !l.isBlank()).forEach(problems::add);
    if (p.exitValue() != 0) {
      problems.add("exit code " + p.exitValue());
    }
    return problems;
  }

  /** An environment file's KEY=value lines (no quoting, as the examples are written). */
  static Map<String, String> envFile(Path file) throws IOException {
    Map<String, String> env = new LinkedHashMap<>();
    for (String line : Files.readAllLines(file)) {
      String l = line.strip();
      if (!l.isEmpty() && !l.startsWith("#")) {
        int eq = l.indexOf('=');
        env.put(l.substring(0, eq), l.substring(eq + 1));
      }
    }
    return env;
  }
}
