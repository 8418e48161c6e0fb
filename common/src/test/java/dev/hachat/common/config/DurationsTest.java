package dev.hachat.common.config;

import static java.time.temporal.ChronoUnit.MILLIS;
import static java.time.temporal.ChronoUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DurationsTest {

  @Test
  void every_unit_converts_to_the_options_unit() {
    assertThat(Durations.parse("500ms", MILLIS)).isEqualTo(500);
    assertThat(Durations.parse("3s", MILLIS)).isEqualTo(3000);
    assertThat(Durations.parse("5m", MILLIS)).isEqualTo(300_000);
    assertThat(Durations.parse("48h", SECONDS)).isEqualTo(172_800);
    assertThat(Durations.parse("1d", SECONDS)).isEqualTo(86_400);
    assertThat(Durations.parse("2000ms", SECONDS)).isEqualTo(2);
    assertThat(Durations.parse("0s", MILLIS)).isZero();
  }

  @Test
  void a_bare_number_is_in_the_options_own_unit() {
    assertThat(Durations.parse("3000", MILLIS)).isEqualTo(3000);
    assertThat(Durations.parse("3000", SECONDS)).isEqualTo(3000);
    assertThat(Durations.parse("0", SECONDS)).isZero();
  }

  @Test
  void blanks_around_and_between_and_any_case_are_accepted() {
    assertThat(Durations.parse("  30s \t", SECONDS)).isEqualTo(30);
    assertThat(Durations.parse("30 s", SECONDS)).isEqualTo(30);
    assertThat(Durations.parse("500MS", MILLIS)).isEqualTo(500);
    assertThat(Durations.parse("2H", SECONDS)).isEqualTo(7200);
    assertThat(Durations.parse(" 45 ", SECONDS)).isEqualTo(45);
  }

  @Test
  void iso_8601_like_the_drain_endpoint() {
    assertThat(Durations.parse("PT5M", SECONDS)).isEqualTo(300);
    assertThat(Durations.parse("PT0.5S", MILLIS)).isEqualTo(500);
    assertThat(Durations.parse("P2D", SECONDS)).isEqualTo(172_800);
    assertThat(Durations.parse("pt30s", MILLIS)).isEqualTo(30_000);
    assertThatThrownBy(() -> Durations.parse("PT0.5S", SECONDS))
        .hasMessage("'PT0.5S' is not a whole number of seconds (never rounded)");
    assertThatThrownBy(() -> Durations.parse("PT-5S", SECONDS))
        .hasMessage("must not be negative: 'PT-5S'");
    assertThatThrownBy(() -> Durations.parse("P5", SECONDS))
        .hasMessage("not an ISO-8601 duration: 'P5'");
  }

  @Test
  void a_value_that_is_not_whole_in_the_options_unit_is_refused_not_rounded() {
    assertThatThrownBy(() -> Durations.parse("1500ms", SECONDS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'1500ms' is not a whole number of seconds (never rounded)");
  }

  @Test
  void fractions_are_refused_with_the_whole_number_to_write() {
    assertThatThrownBy(() -> Durations.parse("1.5s", MILLIS))
        .hasMessage("'1.5s' is not a whole number: write 1500ms");
    assertThatThrownBy(() -> Durations.parse("0.5h", SECONDS))
        .hasMessage("'0.5h' is not a whole number: write 30m");
    assertThatThrownBy(() -> Durations.parse("1.0001ms", MILLIS))
        .hasMessage("'1.0001ms' is not a whole number: use a whole number of a smaller unit");
    assertThatThrownBy(() -> Durations.parse("2.5", SECONDS))
        .hasMessage("'2.5' is not a whole number of seconds");
  }

  @Test
  void negative_values_are_refused() {
    assertThatThrownBy(() -> Durations.parse("-3s", MILLIS))
        .hasMessage("must not be negative: '-3s'");
    assertThatThrownBy(() -> Durations.parse("-1", SECONDS))
        .hasMessage("must not be negative: '-1'");
  }

  @Test
  void unknown_units_and_garbage_are_refused_naming_the_syntax() {
    assertThatThrownBy(() -> Durations.parse("10 parsecs", SECONDS))
        .hasMessage(
            "unknown unit 'parsecs' in '10 parsecs'; a duration is a whole number and one of ms,"
                + " s, m, h, d (e.g. 30s), an ISO-8601 duration (PT5M) or a bare number of"
                + " seconds");
    assertThatThrownBy(() -> Durations.parse("5sec", MILLIS))
        .hasMessageStartingWith("unknown unit 'sec'")
        .hasMessageEndingWith("a bare number of milliseconds");
    assertThatThrownBy(() -> Durations.parse("1h30m", SECONDS))
        .hasMessageStartingWith("not a duration: '1h30m'");
    assertThatThrownBy(() -> Durations.parse("soon", SECONDS))
        .hasMessageStartingWith("not a duration: 'soon'");
    assertThatThrownBy(() -> Durations.parse("  ", SECONDS))
        .hasMessage("empty; a duration such as 30s");
  }

  @Test
  void overflow_is_refused_not_wrapped() {
    assertThatThrownBy(() -> Durations.parse("99999999999999999999", SECONDS))
        .hasMessage("too large: '99999999999999999999'");
    assertThatThrownBy(() -> Durations.parse("9223372036854775807d", MILLIS))
        .hasMessage("too large: '9223372036854775807d'");
    assertThatThrownBy(() -> Durations.parse("106751991167301d", MILLIS))
        .hasMessage("too large: '106751991167301d'");
    assertThat(Durations.parse("9223372036854775807", MILLIS)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void format_uses_the_largest_unit_that_holds_the_value_exactly() {
    assertThat(Durations.format(500, MILLIS)).isEqualTo("500ms");
    assertThat(Durations.format(3000, MILLIS)).isEqualTo("3s");
    assertThat(Durations.format(1500, MILLIS)).isEqualTo("1500ms");
    assertThat(Durations.format(300_000, MILLIS)).isEqualTo("5m");
    assertThat(Durations.format(90, SECONDS)).isEqualTo("90s");
    assertThat(Durations.format(3600, SECONDS)).isEqualTo("1h");
    assertThat(Durations.format(172_800, SECONDS)).isEqualTo("2d");
    assertThat(Durations.format(0, MILLIS)).isEqualTo("0s");
    assertThat(Durations.format(0, SECONDS)).isEqualTo("0s");
  }

  @Test
  void formatted_text_parses_back_to_the_same_amount() {
    long[] amounts = {0, 1, 59, 60, 61, 999, 1000, 3_600_000, 86_400_000, Integer.MAX_VALUE};
    for (long a : amounts) {
      assertThat(Durations.parse(Durations.format(a, MILLIS), MILLIS)).isEqualTo(a);
      assertThat(Durations.parse(Durations.format(a, SECONDS), SECONDS)).isEqualTo(a);
    }
  }
}
