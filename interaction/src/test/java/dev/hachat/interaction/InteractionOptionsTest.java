package dev.hachat.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.SampleConfigCheck;
import dev.hachat.interaction.config.DesktopOptions;
import dev.hachat.interaction.config.InteractionOptions;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InteractionOptionsTest {
  private static final Path SAMPLE = Path.of("..", "config", "interaction.yaml");

  @Test
  void the_sample_configuration_is_every_default_with_units() {
    InteractionOptions o = InteractionOptions.loader().load(SAMPLE, Map.of(), Map.of());
    // every option once (values: the durations check below, and the loaded defaults)
    assertThat(InteractionOptions.loader().leafPaths(SAMPLE).keySet())
        .isEqualTo(InteractionOptions.loader().leafPaths().keySet());
    assertThat(SampleConfigCheck.durations(InteractionOptions.loader(), SAMPLE)).isEmpty();
    assertThat(o.getRouting().getOfferTimeout()).isEqualTo(15_000);
    assertThat(o.getDesktop().getCannedResponses())
        .isEqualTo(DesktopOptions.DEFAULT_CANNED_RESPONSES);
    assertThat(o.getDesktop().getDispositions()).isEqualTo(DesktopOptions.DEFAULT_DISPOSITIONS);
  }

  @Test
  void an_over_long_disposition_is_refused_naming_the_option() {
    InteractionOptions o = new InteractionOptions();
    o.getDesktop().setDispositions(java.util.List.of("x".repeat(65)));
    assertThatThrownBy(o::validate)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("desktop.dispositions");
  }

  @Test
  void an_open_server_beyond_loopback_refuses_to_start_naming_the_option() {
    assertThatThrownBy(
            () ->
                InteractionOptions.loader()
                    .load(null, Map.of(), Map.of("ixn.http.host", "0.0.0.0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("http.host");
  }
}
