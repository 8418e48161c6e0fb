package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** Limits and timeouts of sessions (Genesys option names where one exists). */
public class SessionOptions {
  /** Default {@code limit-for-sessions}: most concurrent open sessions per instance. */
  public static final int DEFAULT_LIMIT_FOR_SESSIONS = 1000;

  /** Default {@code max-message-size}: longest message or notice text, in characters. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 16 * 1024;

  /** Default {@code max-participants}: most participants (any kind) in one session. */
  public static final int DEFAULT_MAX_PARTICIPANTS = 10;

  /** Default {@code max-nickname-size}, in characters. */
  public static final int DEFAULT_MAX_NICKNAME_SIZE = 64;

  /** Default {@code max-pending-entries}: entries waiting for the store before sends fail. */
  public static final int DEFAULT_MAX_PENDING_ENTRIES = 256;

  /** Default {@code closed-session-retention}: seconds a closed session still answers. */
  public static final int DEFAULT_CLOSED_SESSION_RETENTION = 60;

  private int limitForSessions = DEFAULT_LIMIT_FOR_SESSIONS;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private int maxParticipants = DEFAULT_MAX_PARTICIPANTS;
  private int maxNicknameSize = DEFAULT_MAX_NICKNAME_SIZE;
  private int maxPendingEntries = DEFAULT_MAX_PENDING_ENTRIES;

  @DurationUnit(ChronoUnit.SECONDS)
  private int closedSessionRetention = DEFAULT_CLOSED_SESSION_RETENTION;

  /** Default {@code max-transcript-entries}: entries one transcript may hold. */
  public static final int DEFAULT_MAX_TRANSCRIPT_ENTRIES = 10_000;

  /** Default {@code max-transcript-bytes}: UTF-8 bytes of the entry texts of one transcript. */
  public static final long DEFAULT_MAX_TRANSCRIPT_BYTES = 4L * 1024 * 1024;

  /**
   * Default {@code no-customer-message-timeout}: seconds after creation a chat without a customer
   * message is closed ({@code NO_CUSTOMER_MESSAGE}); 0 turns it off.
   */
  public static final int DEFAULT_NO_CUSTOMER_MESSAGE_TIMEOUT = 600;

  /**
   * Default {@code waiting-update-interval}: milliseconds within which changes of a waiting chat's
   * summary are coalesced into one announcement to agents; 0 announces every change.
   */
  public static final long DEFAULT_WAITING_UPDATE_INTERVAL = 500;

  /**
   * Default {@code max-streams-per-participant}: event streams (push WebSockets, ESP subscriptions)
   * one participant holds at once; a newer one replaces the oldest.
   */
  public static final int DEFAULT_MAX_STREAMS_PER_PARTICIPANT = 4;

  private int maxStreamsPerParticipant = DEFAULT_MAX_STREAMS_PER_PARTICIPANT;

  @DurationUnit(ChronoUnit.MILLIS)
  private long waitingUpdateInterval = DEFAULT_WAITING_UPDATE_INTERVAL;

  private int maxTranscriptEntries = DEFAULT_MAX_TRANSCRIPT_ENTRIES;
  private long maxTranscriptBytes = DEFAULT_MAX_TRANSCRIPT_BYTES;

  @DurationUnit(ChronoUnit.SECONDS)
  private int noCustomerMessageTimeout = DEFAULT_NO_CUSTOMER_MESSAGE_TIMEOUT;

  private SessionLimitsOptions limits = new SessionLimitsOptions();
  private InactivityOptions inactivityControl = new InactivityOptions();
  private UserDataOptions userData = new UserDataOptions();

  public int getMaxStreamsPerParticipant() {
    return maxStreamsPerParticipant;
  }

  public SessionOptions setMaxStreamsPerParticipant(int v) {
    this.maxStreamsPerParticipant = v;
    return this;
  }

  public long getWaitingUpdateInterval() {
    return waitingUpdateInterval;
  }

  public SessionOptions setWaitingUpdateInterval(long v) {
    this.waitingUpdateInterval = v;
    return this;
  }

  public int getLimitForSessions() {
    return limitForSessions;
  }

  public SessionOptions setLimitForSessions(int v) {
    this.limitForSessions = v;
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public SessionOptions setMaxMessageSize(int v) {
    this.maxMessageSize = v;
    return this;
  }

  public int getMaxParticipants() {
    return maxParticipants;
  }

  public SessionOptions setMaxParticipants(int v) {
    this.maxParticipants = v;
    return this;
  }

  public int getMaxNicknameSize() {
    return maxNicknameSize;
  }

  public SessionOptions setMaxNicknameSize(int v) {
    this.maxNicknameSize = v;
    return this;
  }

  public int getMaxPendingEntries() {
    return maxPendingEntries;
  }

  public SessionOptions setMaxPendingEntries(int v) {
    this.maxPendingEntries = v;
    return this;
  }

  public int getClosedSessionRetention() {
    return closedSessionRetention;
  }

  public SessionOptions setClosedSessionRetention(int v) {
    this.closedSessionRetention = v;
    return this;
  }

  public int getMaxTranscriptEntries() {
    return maxTranscriptEntries;
  }

  public SessionOptions setMaxTranscriptEntries(int v) {
    this.maxTranscriptEntries = v;
    return this;
  }

  public long getMaxTranscriptBytes() {
    return maxTranscriptBytes;
  }

  public SessionOptions setMaxTranscriptBytes(long v) {
    this.maxTranscriptBytes = v;
    return this;
  }

  public int getNoCustomerMessageTimeout() {
    return noCustomerMessageTimeout;
  }

  public SessionOptions setNoCustomerMessageTimeout(int v) {
    this.noCustomerMessageTimeout = v;
    return this;
  }

  public SessionLimitsOptions getLimits() {
    return limits;
  }

  public SessionOptions setLimits(SessionLimitsOptions v) {
    this.limits = v;
    return this;
  }

  public InactivityOptions getInactivityControl() {
    return inactivityControl;
  }

  public SessionOptions setInactivityControl(InactivityOptions v) {
    this.inactivityControl = v;
    return this;
  }

  public UserDataOptions getUserData() {
    return userData;
  }

  public SessionOptions setUserData(UserDataOptions v) {
    this.userData = v;
    return this;
  }

  void validate() {
    ConfigException.check(limitForSessions >= 1, "session.limit-for-sessions", "must be >= 1");
    ConfigException.check(maxMessageSize >= 1, "session.max-message-size", "must be >= 1");
    ConfigException.check(maxParticipants >= 2, "session.max-participants", "must be >= 2");
    ConfigException.check(maxNicknameSize >= 1, "session.max-nickname-size", "must be >= 1");
    ConfigException.check(maxPendingEntries >= 1, "session.max-pending-entries", "must be >= 1");
    ConfigException.check(
        closedSessionRetention >= 0, "session.closed-session-retention", "must be >= 0");
    ConfigException.check(
        maxTranscriptEntries >= 10, "session.max-transcript-entries", "must be >= 10");
    ConfigException.check(
        maxTranscriptBytes >= 1024, "session.max-transcript-bytes", "must be >= 1024");
    ConfigException.check(
        noCustomerMessageTimeout >= 0,
        "session.no-customer-message-timeout",
        "must be >= 0 (0 turns it off)");
    ConfigException.check(
        maxStreamsPerParticipant >= 1, "session.max-streams-per-participant", "must be >= 1");
    ConfigException.check(
        waitingUpdateInterval >= 0 && waitingUpdateInterval <= 60_000,
        "session.waiting-update-interval",
        "must be between 0 and 60000 ms");
    ConfigException.check(limits != null, "session.limits", "missing");
    limits.validate();
    ConfigException.check(inactivityControl != null, "session.inactivity-control", "missing");
    inactivityControl.validate();
    ConfigException.check(userData != null, "session.user-data", "missing");
    userData.validate();
  }
}
