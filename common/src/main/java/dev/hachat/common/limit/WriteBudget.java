package dev.hachat.common.limit;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one connection has handed to its socket and not yet written: frames and bytes, each with a
 * cap. A writer calls {@link #tryTake} before a write (false: the client is too slow, close it) and
 * {@link #release} when the write completed.
 *
 * <p>Thread-safe: writes are handed over from session loops and completed on the socket's loop.
 */
public final class WriteBudget {
  private final int maxFrames;
  private final long maxBytes;
  private final AtomicInteger frames = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();

  public WriteBudget(int maxFrames, long maxBytes) {
    this.maxFrames = maxFrames;
    this.maxBytes = maxBytes;
  }

  /** Counts a frame of {@code size} bytes; false (nothing counted) when it passes either cap. */
  public boolean tryTake(int size) {
    if (frames.incrementAndGet() > maxFrames) {
      frames.decrementAndGet();
      return false;
    }
    if (bytes.addAndGet(size) > maxBytes) {
      bytes.addAndGet(-size);
      frames.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Whether the last refusal was for bytes (the frame count was below its cap). */
  public boolean overBytes() {
    return frames.get() < maxFrames;
  }

  /** A frame of {@code size} bytes was written (or failed). */
  public void release(int size) {
    frames.decrementAndGet();
    bytes.addAndGet(-size);
  }

  public long bytes() {
    return bytes.get();
  }
}
