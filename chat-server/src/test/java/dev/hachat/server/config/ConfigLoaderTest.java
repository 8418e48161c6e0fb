package dev.hachat.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.ConfigLoader;
import dev.hachat.common.config.SampleConfigCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final Path SAMPLE = locateSample();
  private final ConfigLoader<ChatServerOptions> loader = ChatServerOptions.loader();

  @TempDir Path dir;

  private static Path locateSample() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("config/chat-server.yaml");
      if (Files.exists(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "config/chat-server.yaml not found above " + Path.of("").toAbsolutePath());
  }

  private ChatServerOptions load(Path file, Map<String, String> env, Map<String, String> props) {
    return loader.load(file, env, props);
  }

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, text);
    return f;
  }

  @Test
  void sample_config_holds_exactly_the_defaults() {
    ChatServerOptions fromSample = load(SAMPLE, Map.of(), Map.of());
    assertThat(loader.toYaml(fromSample)).isEqualTo(loader.toYaml(new ChatServerOptions()));
  }

  @Test
  void sample_config_names_every_option() throws IOException {
    String sample = Files.readString(SAMPLE);
    for (String path : loader.leafPaths().keySet()) {
      String leaf = path.substring(path.lastIndexOf('.') + 1);
      assertThat(sample).as("option %s in config/chat-server.yaml", path).contains(leaf + ":");
    }
  }

  @Test
  void sample_config_writes_every_duration_with_its_unit() {
    assertThat(loader.durationPaths())
        .hasSize(29); // 26 + rooms: save-timeout, restore-interval, rebalance.interval
    assertThat(SampleConfigCheck.durations(loader, SAMPLE)).isEmpty();
  }

  @Test
  void durations_take_units_in_files_and_overrides_and_bare_numbers_keep_their_unit()
      throws IOException {
    ChatServerOptions o =
        load(
            yaml(
                "ha:\n  heartbeat-interval: 1s\n  heartbeat-timeout: PT6S\nwebapi:\n"
                    + "  idle-timeout: 2m\n"),
            Map.of("HACHAT_STORE_CASSANDRA_TTL", "48h", "HACHAT_SECURITY_TOKEN_TTL", "7200"),
            Map.of("hachat.ops.stop-timeout", "5m", "hachat.ha.orphan-close-after", "60000"));
    assertThat(o.getHa().getHeartbeatInterval()).isEqualTo(1000);
    assertThat(o.getHa().getHeartbeatTimeout()).isEqualTo(6000);
    assertThat(o.getWebapi().getIdleTimeout()).isEqualTo(120);
    assertThat(o.getStore().getCassandra().getTtl()).isEqualTo(172_800);
    assertThat(o.getSecurity().getTokenTtl()).isEqualTo(7200);
    assertThat(o.getOps().getStopTimeout()).isEqualTo(300_000);
    assertThat(o.getHa().getOrphanCloseAfter()).isEqualTo(60_000);
  }

  @Test
  void a_duration_that_is_not_whole_in_the_options_unit_is_named() {
    assertThatThrownBy(() -> load(null, Map.of("HACHAT_STORE_CASSANDRA_TTL", "1500ms"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "option 'store.cassandra.ttl': '1500ms' is not a whole number of seconds (never"
                + " rounded)");
    assertThatThrownBy(() -> load(null, Map.of(), Map.of("hachat.ha.heartbeat-interval", "1.5s")))
        .hasMessage("option 'ha.heartbeat-interval': '1.5s' is not a whole number: write 1500ms");
    assertThatThrownBy(() -> load(null, Map.of(), Map.of("hachat.ha.heartbeat-interval", "20ms")))
        .hasMessage("option 'ha.heartbeat-interval': must be >= 50 ms");
  }

  @Test
  void printed_config_shows_units_and_loads_back_to_the_same_options() throws IOException {
    ChatServerOptions o =
        load(
            null,
            Map.of(),
            Map.of("hachat.ha.heartbeat-interval", "250", "hachat.store.cassandra.ttl", "90000"));
    String printed = loader.toRedactedYaml(o);
    assertThat(printed)
        .contains(
            "  heartbeat-interval: 250ms\n",
            "  ttl: 25h\n",
            "  idle-timeout: 30s\n",
            "  token-ttl: 1h\n");
    assertThat(loader.toYaml(load(yaml(printed), Map.of(), Map.of()))).isEqualTo(loader.toYaml(o));
  }

  @Test
  void no_file_means_defaults() {
    ChatServerOptions o = load(null, Map.of(), Map.of());
    assertThat(o.getSession().getLimitForSessions())
        .isEqualTo(SessionOptions.DEFAULT_LIMIT_FOR_SESSIONS);
    assertThat(o.getTranscript().getTranscriptAutoSave()).isEqualTo(1);
  }

  @Test
  void file_values_use_kebab_case_genesys_names_and_lowercase_enums() throws IOException {
    ChatServerOptions o =
        load(
            yaml(
                "session:\n  limit-for-sessions: 5\n  inactivity-control:\n    timeout-alert: 30\n"
                    + "transcript:\n  transcript-save-on-error: close\n  transcript-auto-save: 2\n"),
            Map.of(),
            Map.of());
    assertThat(o.getSession().getLimitForSessions()).isEqualTo(5);
    assertThat(o.getSession().getInactivityControl().getTimeoutAlert()).isEqualTo(30);
    assertThat(o.getSession().getInactivityControl().getTimeoutClose()).isEqualTo(45);
    assertThat(o.getTranscript().getTranscriptSaveOnError())
        .isEqualTo(TranscriptOptions.SaveOnError.CLOSE);
    assertThat(o.getTranscript().getTranscriptAutoSave()).isEqualTo(2);
  }

  @Test
  void environment_overrides_file_and_system_properties_override_environment() throws IOException {
    Path f = yaml("session:\n  limit-for-sessions: 5\nwebapi:\n  port: 1000\n");
    ChatServerOptions o =
        load(
            f,
            Map.of(
                "HACHAT_SESSION_LIMIT_FOR_SESSIONS",
                "6",
                "HACHAT_WEBAPI_PORT",
                "0",
                "HACHAT_INSTANCE_ID",
                "cs1",
                "PATH",
                "/bin"),
            Map.of("hachat.session.limit-for-sessions", "7", "java.version", "17"));
    assertThat(o.getSession().getLimitForSessions()).isEqualTo(7);
    assertThat(o.getWebapi().getPort()).isZero();
    assertThat(o.getInstanceId()).isEqualTo("cs1");
  }

  @Test
  void list_options_take_comma_separated_overrides() {
    ChatServerOptions o =
        load(
            null,
            Map.of("HACHAT_STORE_CASSANDRA_CONTACT_POINTS", "10.0.0.1:9042, 10.0.0.2:9042"),
            Map.of());
    assertThat(o.getStore().getCassandra().getContactPoints())
        .containsExactly("10.0.0.1:9042", "10.0.0.2:9042");
    assertThatThrownBy(
            () -> load(null, Map.of(), Map.of("hachat.store.cassandra.contact-points", "nohost")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.cassandra.contact-points");
  }

  @Test
  void unknown_option_in_file_is_named() throws IOException {
    Path f = yaml("session:\n  limit-for-sesions: 5\n");
    assertThatThrownBy(() -> load(f, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("session.limit-for-sesions");
  }

  @Test
  void unknown_override_is_named() {
    assertThatThrownBy(() -> load(null, Map.of("HACHAT_SESION_LIMIT", "1"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("HACHAT_SESION_LIMIT");
    assertThatThrownBy(() -> load(null, Map.of(), Map.of("hachat.webapi.prt", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("webapi.prt");
  }

  @Test
  void malformed_value_is_named() {
    assertThatThrownBy(() -> load(null, Map.of(), Map.of("hachat.webapi.port", "abc")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("webapi.port")
        .hasMessageContaining("abc");
    assertThatThrownBy(
            () ->
                load(null, Map.of(), Map.of("hachat.transcript.transcript-save-on-error", "maybe")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("transcript.transcript-save-on-error");
  }

  @Test
  void out_of_range_value_is_named() {
    assertThatThrownBy(() -> load(null, Map.of(), Map.of("hachat.session.limit-for-sessions", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option 'session.limit-for-sessions': must be >= 1");
    assertThatThrownBy(
            () -> load(null, Map.of(), Map.of("hachat.transcript.transcript-auto-save", "3")))
        .hasMessageContaining("transcript.transcript-auto-save");
    assertThatThrownBy(() -> load(null, Map.of(), Map.of("hachat.webapi.port", "70000")))
        .hasMessageContaining("webapi.port");
    assertThatThrownBy(() -> load(null, Map.of(), Map.of("hachat.instance-id", "bad id!")))
        .hasMessageContaining("instance-id");
  }

  @Test
  void unparsable_file_is_reported() throws IOException {
    Path f = yaml("session: [unclosed\n");
    assertThatThrownBy(() -> load(f, Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(f.toString());
    assertThatThrownBy(() -> load(dir.resolve("missing.yaml"), Map.of(), Map.of()))
        .hasMessageContaining("missing.yaml");
  }
}
