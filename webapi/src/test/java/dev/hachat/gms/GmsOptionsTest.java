package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.ConfigLoader;
import dev.hachat.common.config.SampleConfigCheck;
import dev.hachat.gms.config.GmsOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GmsOptionsTest {
  private static final Path SAMPLE = Path.of("..", "config", "webapi.yaml");
  private final ConfigLoader<GmsOptions> loader = GmsOptions.loader();

  @Test
  void sample_config_holds_exactly_the_defaults() {
    GmsOptions fromSample = loader.load(SAMPLE, Map.of(), Map.of());
    assertThat(loader.toYaml(fromSample)).isEqualTo(loader.toYaml(new GmsOptions()));
  }

  @Test
  void sample_config_names_every_option() throws IOException {
    String sample = Files.readString(SAMPLE);
    for (String path : loader.leafPaths().keySet()) {
      String leaf = path.substring(path.lastIndexOf('.') + 1);
      assertThat(sample).as("option %s in config/webapi.yaml", path).contains(leaf + ":");
    }
  }

  @Test
  void sample_config_writes_every_duration_with_its_unit() {
    assertThat(loader.durationPaths()).hasSize(20);
    assertThat(SampleConfigCheck.durations(loader, SAMPLE)).isEmpty();
  }

  @Test
  void durations_take_units_and_the_ms_options_keep_their_names() {
    GmsOptions o =
        loader.load(
            null,
            Map.of("GMS_ROUTING_FAILOVER_DEADLINE", "45s", "GMS_EDGE_IDLE_TIMEOUT", "300"),
            Map.of(
                "gms.cometd.timeout-ms", "20s",
                "gms.cometd.max-interval-ms", "15000",
                "gms.directory.poll-interval", "PT0.25S"));
    assertThat(o.getRouting().getFailoverDeadline()).isEqualTo(45_000);
    assertThat(o.getEdge().getIdleTimeout()).isEqualTo(300);
    assertThat(o.getCometd().getTimeoutMs()).isEqualTo(20_000);
    assertThat(o.getCometd().getMaxIntervalMs()).isEqualTo(15_000);
    assertThat(o.getDirectory().getPollInterval()).isEqualTo(250);
    assertThat(loader.toRedactedYaml(o)).contains("  timeout-ms: 20s\n", "  idle-timeout: 5m\n");
    assertThatThrownBy(
            () -> loader.load(null, Map.of(), Map.of("gms.edge.idle-timeout", "90500ms")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "option 'edge.idle-timeout': '90500ms' is not a whole number of seconds (never rounded)");
  }

  @Test
  void overrides_come_from_gms_variables_and_properties() {
    GmsOptions o =
        loader.load(
            null,
            Map.of("GMS_HTTP_PORT", "8091", "HACHAT_SESSION_LIMIT_FOR_SESSIONS", "5"),
            Map.of(
                "gms.routing.failover-deadline", "9000", "gms.cometd.web-socket-enabled", "false"));
    assertThat(o.getHttp().getPort()).isEqualTo(8091);
    assertThat(o.getCometd().isWebSocketEnabled()).isFalse();
    assertThat(o.getRouting().getFailoverDeadline()).isEqualTo(9000);
  }

  @Test
  void bad_values_name_the_option() {
    assertThatThrownBy(
            () -> loader.load(null, Map.of(), Map.of("gms.routing.failover-deadline", "10")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("routing.failover-deadline");
    assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("gms.store.type", "memory")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("store.type");
    assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("gms.cometd.timeout-ms", "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cometd.timeout-ms");
    assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("gms.cometd.path", "cometd/")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cometd.path");
    assertThatThrownBy(() -> loader.load(null, Map.of(), Map.of("gms.no.such", "1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no.such");
  }
}
