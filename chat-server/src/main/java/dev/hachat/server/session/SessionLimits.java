package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.KeyedRateLimiter;
import dev.hachat.server.config.SessionLimitsOptions;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.metrics.LimitKpi;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;

/**
 * A session's abuse limits: per-participant rates of sends, typing and updates ({@code
 * session.limits}), the transcript caps ({@code max-transcript-entries}, {@code
 * max-transcript-bytes}) and the deadline for a first customer message ({@code
 * no-customer-message-timeout}). Every check runs before anything is appended, so a refused request
 * consumes no index and changes nothing.
 *
 * <p>Threading: confined to the session's loop, like {@link SessionState}; the buckets run on the
 * engine's injectable clock, so tests move time by hand.
 */
final class SessionLimits {
  private final SessionOptions options;
  private final LimitKpi kpi;
  private final KeyedRateLimiter sends;
  private final KeyedRateLimiter typing;
  private final KeyedRateLimiter updates;
  private final long createdAt;

  private long entryCount;
  private long byteCount;
  private boolean customerSpoke;

  SessionLimits(SessionOptions options, LimitKpi kpi, Clock clock, long createdAt) {
    this.options = options;
    this.kpi = kpi;
    this.createdAt = createdAt;
    SessionLimitsOptions l = options.getLimits();
    int keys = Math.max(2, options.getMaxParticipants()) * 4; // participants who left count too
    java.util.function.LongSupplier nanos = () -> clock.millis() * 1_000_000L;
    this.sends = KeyedRateLimiter.create(l.getSendsPerMinute(), l.getSendsBurst(), keys, nanos);
    this.typing = KeyedRateLimiter.create(l.getTypingPerMinute(), l.getTypingBurst(), keys, nanos);
    this.updates =
        KeyedRateLimiter.create(l.getUpdatesPerMinute(), l.getUpdatesBurst(), keys, nanos);
  }

  /** Counts a restored transcript (before publication). */
  void restore(List<Entry> entries) {
    entries.forEach(this::appended);
  }

  /** An entry was appended (any kind): it counts against the caps. */
  void appended(Entry e) {
    entryCount++;
    byteCount += e.text() == null ? 0 : e.text().getBytes(StandardCharsets.UTF_8).length;
    if (e.type() == EntryType.MESSAGE && e.participantType() == ParticipantType.CLIENT) {
      customerSpoke = true;
    }
  }

  /** A message or custom notice from {@code participantId}: RATE_LIMITED or TRANSCRIPT_FULL. */
  void checkSend(String participantId, int textLength) {
    checkRoom(textLength);
    if (!sends.tryAcquire(participantId)) {
      kpi.sendLimited();
      throw limited("messages", options.getLimits().getSendsPerMinute());
    }
  }

  void checkTyping(String participantId) {
    checkRoom(0);
    if (!typing.tryAcquire(participantId)) {
      kpi.typingLimited();
      throw limited("typing notifications", options.getLimits().getTypingPerMinute());
    }
  }

  void checkUpdate(String participantId, int size) {
    checkRoom(size);
    if (!updates.tryAcquire(participantId)) {
      kpi.updateLimited();
      throw limited("updates", options.getLimits().getUpdatesPerMinute());
    }
  }

  /** Whether the chat waited too long for a first customer message at {@code now}. */
  boolean customerSilentTooLong(long now) {
    int timeout = options.getNoCustomerMessageTimeout();
    return timeout > 0 && !customerSpoke && now - createdAt >= timeout * 1000L;
  }

  private void checkRoom(long textLength) {
    if (entryCount >= options.getMaxTranscriptEntries()
        || byteCount + textLength > options.getMaxTranscriptBytes()) {
      kpi.transcriptFull();
      throw new ChatException(
          ErrorCode.TRANSCRIPT_FULL,
          "the transcript is full; the chat can still be left or closed");
    }
  }

  private static ChatException limited(String what, int perMinute) {
    return new ChatException(
        ErrorCode.RATE_LIMITED,
        "too many " + what + " (at most " + perMinute + " a minute); retry");
  }
}
