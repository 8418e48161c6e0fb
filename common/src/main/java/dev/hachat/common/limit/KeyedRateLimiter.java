package dev.hachat.common.limit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per key (Bucket4j): {@code burst} at once, then {@code perMinute} refilled evenly.
 * Keys not seen for {@link #IDLE_EVICTION} are dropped by {@link #evictIdle()} (call it from a
 * periodic timer), so the map holds only recently active keys; at most {@code maxKeys} are held,
 * and a new key beyond that is refused (a flood from very many addresses is refused, not
 * remembered).
 *
 * <p>Thread-safe: buckets are lock-free; the map is concurrent.
 */
public final class KeyedRateLimiter {
  /** Keys idle this long are forgotten (their bucket is full again by then). */
  public static final Duration IDLE_EVICTION = Duration.ofMinutes(2);

  private final int perMinute;
  private final int burst;
  private final int maxKeys;
  private final LongSupplier nanos;
  private final TimeMeter meter;
  private final Map<String, Entry> buckets = new ConcurrentHashMap<>();

  private record Entry(Bucket bucket, long[] lastUse) {}

  private KeyedRateLimiter(int perMinute, int burst, int maxKeys, LongSupplier nanos) {
    this.perMinute = perMinute;
    this.burst = burst;
    this.maxKeys = maxKeys;
    this.nanos = nanos;
    this.meter =
        new TimeMeter() {
          @Override
          public long currentTimeNanos() {
            return nanos.getAsLong();
          }

          @Override
          public boolean isWallClockBased() {
            return false;
          }
        };
  }

  /** A limiter on the JVM's monotonic clock. */
  public static KeyedRateLimiter create(int perMinute, int burst, int maxKeys) {
    return create(perMinute, burst, maxKeys, System::nanoTime);
  }

  /** A limiter on a given monotonic nanosecond clock (tests move it by hand). */
  public static KeyedRateLimiter create(int perMinute, int burst, int maxKeys, LongSupplier nanos) {
    if (perMinute < 1 || burst < 1 || maxKeys < 1) {
      throw new IllegalArgumentException("perMinute, burst and maxKeys must be >= 1");
    }
    return new KeyedRateLimiter(perMinute, burst, maxKeys, nanos);
  }

  /** Takes one token for {@code key}; false when its bucket is empty (or too many keys). */
  public boolean tryAcquire(String key) {
    Entry e = buckets.get(key);
    if (e == null) {
      if (buckets.size() >= maxKeys) {
        return false;
      }
      e = buckets.computeIfAbsent(key, k -> new Entry(newBucket(), new long[1]));
    }
    e.lastUse()[0] = nanos.getAsLong(); // a racy "recently used" mark is enough for eviction
    return e.bucket().tryConsume(1);
  }

  /** Whether {@code key} has a token left, without taking it (a key not seen yet has). */
  public boolean available(String key) {
    Entry e = buckets.get(key);
    return e == null ? buckets.size() < maxKeys : e.bucket().getAvailableTokens() >= 1;
  }

  /** Forgets keys not used for {@link #IDLE_EVICTION}. */
  public void evictIdle() {
    long cutoff = nanos.getAsLong() - IDLE_EVICTION.toNanos();
    buckets.values().removeIf(e -> e.lastUse()[0] - cutoff < 0);
  }

  /** Keys held now. */
  public int size() {
    return buckets.size();
  }

  private Bucket newBucket() {
    return Bucket.builder()
        .addLimit(
            Bandwidth.builder()
                .capacity(burst)
                .refillGreedy(perMinute, Duration.ofMinutes(1))
                .initialTokens(burst)
                .build())
        .withCustomTimePrecision(meter)
        .build();
  }
}
