package dev.hachat.common.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SampleConfigCheckTest {

  /** One duration, and one option named like a time span that is not marked as one. */
  static class Opts {
    @DurationUnit(ChronoUnit.SECONDS)
    private int ttl = 60;

    private int retryTimeout = 5;
    private int maxSize = 10;
  }

  private final ConfigLoader<Opts> loader =
      new ConfigLoader<>(Opts.class, Opts::new, o -> o, "SC_", "sc.");

  @TempDir Path dir;

  private Path sample(String text) throws IOException {
    return Files.writeString(dir.resolve("sample.yaml"), text);
  }

  @Test
  void names_a_bare_duration_and_an_unmarked_time_span() throws IOException {
    assertThat(
            SampleConfigCheck.durations(
                loader, sample("ttl: 60\nretry-timeout: 5\nmax-size: 10\n")))
        .containsExactly(
            "ttl: written 60, expected 1m",
            "retry-timeout: named like a time span but not a @DurationUnit option");
  }

  @Test
  void a_sample_written_as_print_config_writes_it_passes_the_duration_check() throws IOException {
    assertThat(SampleConfigCheck.durations(loader, sample(loader.toYaml(new Opts()))))
        .containsExactly("retry-timeout: named like a time span but not a @DurationUnit option");
  }
}
