package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;

/**
 * {@code session.limits}: token buckets per participant of a session. Each kind of request has a
 * burst (taken at once) refilled evenly at its per-minute rate; a request over it is refused with
 * 429 {@code RATE_LIMITED} and changes nothing (no entry, no index).
 */
public class SessionLimitsOptions {
  /** Default {@code sends-per-minute}: messages and custom notices, per participant. */
  public static final int DEFAULT_SENDS_PER_MINUTE = 60;

  /** Default {@code sends-burst}. */
  public static final int DEFAULT_SENDS_BURST = 20;

  /** Default {@code typing-per-minute}: start/stop typing, per participant. */
  public static final int DEFAULT_TYPING_PER_MINUTE = 120;

  /** Default {@code typing-burst}. */
  public static final int DEFAULT_TYPING_BURST = 20;

  /** Default {@code updates-per-minute}: updateData and updateNickname, per participant. */
  public static final int DEFAULT_UPDATES_PER_MINUTE = 30;

  /** Default {@code updates-burst}. */
  public static final int DEFAULT_UPDATES_BURST = 10;

  private int sendsPerMinute = DEFAULT_SENDS_PER_MINUTE;
  private int sendsBurst = DEFAULT_SENDS_BURST;
  private int typingPerMinute = DEFAULT_TYPING_PER_MINUTE;
  private int typingBurst = DEFAULT_TYPING_BURST;
  private int updatesPerMinute = DEFAULT_UPDATES_PER_MINUTE;
  private int updatesBurst = DEFAULT_UPDATES_BURST;

  public int getSendsPerMinute() {
    return sendsPerMinute;
  }

  public SessionLimitsOptions setSendsPerMinute(int v) {
    this.sendsPerMinute = v;
    return this;
  }

  public int getSendsBurst() {
    return sendsBurst;
  }

  public SessionLimitsOptions setSendsBurst(int v) {
    this.sendsBurst = v;
    return this;
  }

  public int getTypingPerMinute() {
    return typingPerMinute;
  }

  public SessionLimitsOptions setTypingPerMinute(int v) {
    this.typingPerMinute = v;
    return this;
  }

  public int getTypingBurst() {
    return typingBurst;
  }

  public SessionLimitsOptions setTypingBurst(int v) {
    this.typingBurst = v;
    return this;
  }

  public int getUpdatesPerMinute() {
    return updatesPerMinute;
  }

  public SessionLimitsOptions setUpdatesPerMinute(int v) {
    this.updatesPerMinute = v;
    return this;
  }

  public int getUpdatesBurst() {
    return updatesBurst;
  }

  public SessionLimitsOptions setUpdatesBurst(int v) {
    this.updatesBurst = v;
    return this;
  }

  void validate() {
    String p = "session.limits.";
    ConfigException.check(sendsPerMinute >= 1, p + "sends-per-minute", "must be >= 1");
    ConfigException.check(sendsBurst >= 1, p + "sends-burst", "must be >= 1");
    ConfigException.check(typingPerMinute >= 1, p + "typing-per-minute", "must be >= 1");
    ConfigException.check(typingBurst >= 1, p + "typing-burst", "must be >= 1");
    ConfigException.check(updatesPerMinute >= 1, p + "updates-per-minute", "must be >= 1");
    ConfigException.check(updatesBurst >= 1, p + "updates-burst", "must be >= 1");
  }
}
