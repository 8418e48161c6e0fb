package dev.hachat.common.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderDurationsTest {

  /** Options of a test process: two durations in seconds and milliseconds, one plain number. */
  static class Opts {
    @DurationUnit(ChronoUnit.SECONDS)
    private int ttl = 172_800;

    private int size = 3;

    @DurationUnit(ChronoUnit.SECONDS)
    private int tokenTtl = 3600;

    private String token = "t0ps3cret";
    private Nested timer = new Nested();

    static class Nested {
      @DurationUnit(ChronoUnit.MILLIS)
      private long interval = 500;

      @DurationUnit(ChronoUnit.MILLIS)
      private int timeoutMs = 0;
    }

    Opts validate() {
      return this;
    }
  }

  private final ConfigLoader<Opts> loader =
      new ConfigLoader<>(Opts.class, Opts::new, Opts::validate, "DT_", "dt.");

  @TempDir Path dir;

  private Path yaml(String text) throws IOException {
    Path f = dir.resolve("c.yaml");
    Files.writeString(f, text);
    return f;
  }

  private Opts file(String text) throws IOException {
    return loader.load(yaml(text), Map.of(), Map.of());
  }

  @Test
  void a_file_takes_units_iso_8601_and_bare_numbers_in_the_fields_unit() throws IOException {
    Opts o = file("ttl: 1d\ntimer:\n  interval: 3s\n  timeout-ms: PT1.5S\n");
    assertThat(o.ttl).isEqualTo(86_400);
    assertThat(o.timer.interval).isEqualTo(3000);
    assertThat(o.timer.timeoutMs).isEqualTo(1500);

    o = file("ttl: 3600\ntimer:\n  interval: 250\n  timeout-ms: '40'\n");
    assertThat(o.ttl).isEqualTo(3600);
    assertThat(o.timer.interval).isEqualTo(250);
    assertThat(o.timer.timeoutMs).isEqualTo(40);
  }

  @Test
  void overrides_take_units_and_bare_numbers() {
    Opts o =
        loader.load(
            null, Map.of("DT_TTL", "48h", "DT_TIMER_INTERVAL", "2000"), Map.of("dt.size", "4"));
    assertThat(o.ttl).isEqualTo(172_800);
    assertThat(o.timer.interval).isEqualTo(2000);
    o = loader.load(null, Map.of(), Map.of("dt.timer.interval", " 5m ", "dt.ttl", "90"));
    assertThat(o.timer.interval).isEqualTo(300_000);
    assertThat(o.ttl).isEqualTo(90);
  }

  @Test
  void a_value_not_whole_in_the_fields_unit_is_refused_naming_the_option() {
    assertThatThrownBy(() -> loader.load(null, Map.of("DT_TTL", "1500ms"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("option 'ttl': '1500ms' is not a whole number of seconds (never rounded)");
  }

  @Test
  void bad_durations_in_a_file_name_the_option_and_the_reason() {
    assertThatThrownBy(() -> file("timer:\n  interval: 10 parsecs\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("option 'timer.interval': unknown unit 'parsecs' in '10 parsecs'");
    assertThatThrownBy(() -> file("timer:\n  interval: 1.5s\n"))
        .hasMessage("option 'timer.interval': '1.5s' is not a whole number: write 1500ms");
    assertThatThrownBy(() -> file("ttl: 1.5\n"))
        .hasMessage("option 'ttl': '1.5' is not a whole number of seconds");
    assertThatThrownBy(() -> file("ttl: -5\n"))
        .hasMessage("option 'ttl': must not be negative: '-5'");
    assertThatThrownBy(() -> file("ttl: -5s\n"))
        .hasMessage("option 'ttl': must not be negative: '-5s'");
    assertThatThrownBy(() -> file("ttl:\n")).hasMessageStartingWith("option 'ttl': missing value");
    assertThatThrownBy(() -> file("ttl: [1]\n"))
        .hasMessageStartingWith("option 'ttl': a duration such as 30s");
  }

  @Test
  void a_value_too_large_for_the_field_is_refused() throws IOException {
    assertThatThrownBy(() -> file("ttl: 100000d\n"))
        .hasMessage("option 'ttl': too large: '100000d' (at most 2147483647s)");
    assertThatThrownBy(() -> file("ttl: 3000000000\n"))
        .hasMessage("option 'ttl': too large: '3000000000' (at most 2147483647s)");
    assertThatThrownBy(() -> file("ttl: 99999999999999999999\n"))
        .hasMessage("option 'ttl': too large: '99999999999999999999'");
    assertThat(file("timer:\n  interval: 3000000000\n").timer.interval).isEqualTo(3_000_000_000L);
  }

  @Test
  void printed_yaml_shows_units_and_loads_back_to_equal_options() throws IOException {
    Opts o = loader.load(null, Map.of(), Map.of("dt.timer.timeout-ms", "1500"));
    String printed = loader.toRedactedYaml(o);
    assertThat(printed)
        .isEqualTo(
            "ttl: 2d\nsize: 3\ntoken-ttl: 1h\ntoken: <redacted>\n"
                + "timer:\n  interval: 500ms\n  timeout-ms: 1500ms\n");
    Opts back = loader.load(yaml(loader.toYaml(o)), Map.of(), Map.of());
    assertThat(loader.toYaml(back)).isEqualTo(loader.toYaml(o));
    assertThat(back.ttl).isEqualTo(o.ttl);
    assertThat(back.timer.interval).isEqualTo(o.timer.interval);
    assertThat(back.timer.timeoutMs).isEqualTo(1500);
  }

  @Test
  void duration_paths_are_the_marked_fields_at_any_depth() {
    assertThat(loader.durationPaths())
        .containsExactlyInAnyOrder("ttl", "token-ttl", "timer.interval", "timer.timeout-ms");
  }

  @Test
  void leaf_paths_of_a_file_are_its_text_as_written() throws IOException {
    assertThat(loader.leafPaths(yaml("ttl: 3600\ntimer:\n  interval: 1s\n")))
        .containsExactly(Map.entry("ttl", "3600"), Map.entry("timer.interval", "1s"));
  }

  @Test
  void leaf_paths_show_defaults_with_units() {
    assertThat(loader.leafPaths())
        .containsEntry("ttl", "2d")
        .containsEntry("size", "3")
        .containsEntry("timer.interval", "500ms")
        .containsEntry("timer.timeout-ms", "0s");
  }
}
