package dev.hachat.common.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import org.junit.jupiter.api.Test;

class StorableTextTest {

  @Test
  void accepts_every_script_emoji_and_line_breaks() {
    for (String ok :
        new String[] {
          "", "hello", "line one\r\nline two\ttab", "Grüße, 你好, مرحبا", "\uD83D\uDE00 smile", null
        }) {
      StorableText.check("message", ok);
      assertThat(StorableText.firstUnstorable(ok)).isEqualTo(-1);
      assertThat(StorableText.sanitize(ok)).isEqualTo(ok);
    }
  }

  @Test
  void refuses_nul_and_other_control_characters_naming_field_and_position() {
    assertThatThrownBy(() -> StorableText.check("message", "ab\u0000c"))
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST))
        .hasMessage("message contains the control character U+0000 at position 2");
    assertThat(StorableText.firstUnstorable("x\u001b[31m")).isEqualTo(1);
    assertThat(StorableText.firstUnstorable("del\u007f")).isEqualTo(3);
    assertThat(StorableText.firstUnstorable("bell\u0007")).isEqualTo(4);
  }

  @Test
  void refuses_lone_surrogates_of_either_half() {
    assertThatThrownBy(() -> StorableText.check("subject", "x\uD83D"))
        .hasMessage("subject contains a lone surrogate at position 1");
    assertThat(StorableText.firstUnstorable("\uDE00x")).isEqualTo(0);
    assertThat(StorableText.firstUnstorable("\uD83Dx\uDE00")).isEqualTo(0);
  }

  @Test
  void sanitize_replaces_only_what_cannot_be_stored() {
    assertThat(StorableText.sanitize("a\u0000b\uD83D\uDE00c\uDE00\r\n"))
        .isEqualTo("a\uFFFDb\uD83D\uDE00c\uFFFD\r\n");
  }
}
