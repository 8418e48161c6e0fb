package dev.hachat.interaction;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The agent API's WebSocket takes browsers only from its own pages. */
class SameOriginTest {
  @Test
  void a_page_of_this_server_and_a_client_without_origin_pass() {
    assertThat(SameOrigin.allows(null, "127.0.0.1:8095")).isTrue();
    assertThat(SameOrigin.allows("http://127.0.0.1:8095", "127.0.0.1:8095")).isTrue();
    assertThat(SameOrigin.allows("https://Desk.Example.com", "desk.example.com:443")).isTrue();
    assertThat(SameOrigin.allows("http://[::1]:8095", "[::1]:8095")).isTrue();
  }

  @Test
  void open_mode_takes_browsers_only_through_a_loopback_host() {
    assertThat(SameOrigin.loopback("127.0.0.1:8095")).isTrue();
    assertThat(SameOrigin.loopback("localhost:8095")).isTrue();
    assertThat(SameOrigin.loopback("[::1]:8095")).isTrue();
    assertThat(SameOrigin.loopback("rebound.example:8095")).isFalse();
    assertThat(SameOrigin.loopback(null)).isFalse();
  }

  @Test
  void another_site_another_port_or_an_opaque_origin_is_refused() {
    assertThat(SameOrigin.allows("https://evil.example", "127.0.0.1:8095")).isFalse();
    assertThat(SameOrigin.allows("http://127.0.0.1:9999", "127.0.0.1:8095")).isFalse();
    assertThat(SameOrigin.allows("http://localhost:8095", "127.0.0.1:8095")).isFalse();
    assertThat(SameOrigin.allows("null", "127.0.0.1:8095")).isFalse();
    assertThat(SameOrigin.allows("http://127.0.0.1:8095", null)).isFalse();
  }
}
