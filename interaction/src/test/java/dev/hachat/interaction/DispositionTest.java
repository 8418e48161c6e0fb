package dev.hachat.interaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import org.junit.jupiter.api.Test;

/** A close's disposition code goes to the log and to UCS: short, and nothing that forges lines. */
class DispositionTest {
  @Test
  void a_plain_code_is_taken_and_absent_is_empty() {
    assertThat(Collaboration.disposition(null)).isEmpty();
    assertThat(Collaboration.disposition("refund-issued")).isEqualTo("refund-issued");
    assertThat(Collaboration.disposition(" Réglé: remboursé/2 ")).isEqualTo("Réglé: remboursé/2");
  }

  @Test
  void a_newline_a_long_code_or_a_non_string_is_bad_request() {
    for (Object bad : new Object[] {"done\nINFO forged line", "x".repeat(65), 7, "tab\there"}) {
      assertThatThrownBy(() -> Collaboration.disposition(bad))
          .isInstanceOfSatisfying(
              ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }
  }
}
