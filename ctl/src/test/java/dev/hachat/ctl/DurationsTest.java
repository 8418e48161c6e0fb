package dev.hachat.ctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
  @Test
  void numbers_with_units_iso_and_bare_seconds() {
    assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
    assertThat(Durations.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("48h")).isEqualTo(Duration.ofHours(48));
    assertThat(Durations.parse("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Durations.parse(" 1m30s ")).isEqualTo(Duration.ofSeconds(90));
    assertThat(Durations.parse("PT5M")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Durations.parse("PT0.5S")).isEqualTo(Duration.ofMillis(500));
    assertThat(Durations.parse("300")).isEqualTo(Duration.ofSeconds(300));
    assertThat(Durations.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @Test
  void anything_else_is_refused_with_the_forms_it_takes() {
    for (String bad :
        new String[] {"", "5x", "1.5s", "m", "-1s", "5 m", "PT-5M", "ten", "1h 30m"}) {
      assertThatThrownBy(() -> Durations.parse(bad))
          .as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> Durations.parse("5x")).hasMessageContaining("500ms, 10s, 5m, 48h");
  }

  @Test
  void formats_the_way_it_parses() {
    assertThat(Durations.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(Durations.format(Duration.ofMinutes(5))).isEqualTo("5m");
    assertThat(Durations.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
    assertThat(Durations.format(Duration.ofHours(49))).isEqualTo("2d1h");
    assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1s500ms");
    assertThat(Durations.format(Duration.ZERO)).isEqualTo("0s");
    for (String s : new String[] {"500ms", "10s", "5m", "48h", "1h30m", "2d1h"}) {
      assertThat(Durations.parse(Durations.format(Durations.parse(s))))
          .isEqualTo(Durations.parse(s));
    }
  }
}
