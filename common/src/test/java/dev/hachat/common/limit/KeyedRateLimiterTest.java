package dev.hachat.common.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  private void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Test
  void a_burst_then_the_rate_per_key_and_keys_are_independent() {
    KeyedRateLimiter l = KeyedRateLimiter.create(60, 3, 100, nanos::get);
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("a")).as("burst used up").isFalse();
    assertThat(l.tryAcquire("b")).as("another key has its own bucket").isTrue();
    advance(Duration.ofMillis(999));
    assertThat(l.tryAcquire("a")).as("60/min is one a second").isFalse();
    advance(Duration.ofMillis(1));
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("a")).isFalse();
  }

  @Test
  void idle_keys_are_forgotten_and_the_key_count_is_bounded() {
    KeyedRateLimiter l = KeyedRateLimiter.create(10, 1, 2, nanos::get);
    assertThat(l.tryAcquire("a")).isTrue();
    assertThat(l.tryAcquire("b")).isTrue();
    assertThat(l.tryAcquire("c")).as("beyond maxKeys a new key is refused").isFalse();
    advance(KeyedRateLimiter.IDLE_EVICTION.plusSeconds(1));
    assertThat(l.tryAcquire("b")).isTrue();
    l.evictIdle();
    assertThat(l.size()).as("a was idle, b was just used").isEqualTo(1);
    assertThat(l.tryAcquire("c")).isTrue();
  }
}
