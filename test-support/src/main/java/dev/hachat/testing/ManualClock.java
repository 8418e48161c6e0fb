package dev.hachat.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A clock tests move by hand: a UTC wall clock ({@link Clock}) and a monotonic nanosecond source
 * ({@link #nanos()}, for code that takes a {@code LongSupplier} like {@code System::nanoTime}).
 * {@link #advance} moves both by the same amount. Thread-safe.
 */
public final class ManualClock extends Clock {
  private final AtomicLong wallMillis = new AtomicLong(1_700_000_000_000L);
  private final AtomicLong monotonicNanos = new AtomicLong(1_000_000_000L);

  /** Moves both clocks forward. */
  public ManualClock advance(Duration by) {
    wallMillis.addAndGet(by.toMillis());
    monotonicNanos.addAndGet(by.toNanos());
    return this;
  }

  public ManualClock advanceSeconds(long seconds) {
    return advance(Duration.ofSeconds(seconds));
  }

  public ManualClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** The monotonic clock, in nanoseconds. */
  public long nanoTime() {
    return monotonicNanos.get();
  }

  /** The monotonic clock as a supplier ({@code System::nanoTime}'s stand-in). */
  public LongSupplier nanos() {
    return monotonicNanos::get;
  }

  @Override
  public long millis() {
    return wallMillis.get();
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis());
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
