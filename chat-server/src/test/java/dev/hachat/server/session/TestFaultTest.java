package dev.hachat.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TestFaultTest {

  @Test
  void parses_the_property_values_and_refuses_unknown_ones() {
    assertThat(TestFault.parse(null)).isEqualTo(TestFault.NONE);
    assertThat(TestFault.parse(" ")).isEqualTo(TestFault.NONE);
    assertThat(TestFault.parse("ack-before-save")).isEqualTo(TestFault.ACK_BEFORE_SAVE);
    assertThat(TestFault.parse("skip-epoch-fence")).isEqualTo(TestFault.SKIP_EPOCH_FENCE);
    assertThatThrownBy(() -> TestFault.parse("none")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TestFault.parse("ack-before-saev"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(TestFault.PROPERTY);
  }

  @Test
  void is_off_in_unit_tests() {
    for (TestFault f : TestFault.values()) {
      assertThat(f.on()).as(f.name()).isFalse();
    }
  }
}
