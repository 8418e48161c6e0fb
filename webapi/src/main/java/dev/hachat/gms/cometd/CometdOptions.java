package dev.hachat.gms.cometd;

import dev.hachat.common.config.DurationUnit;
import io.vertx.core.json.JsonObject;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * Options of the {@link CometdEndpoint}. JSON names are the field names; each option appears in
 * {@code config/webapi.yaml} with its default.
 */
public class CometdOptions {

  /** Where the endpoint is mounted: {@value}. */
  public static final String DEFAULT_PATH = "/genesys/cometd";

  /** How long a {@code /meta/connect} is held open when there is nothing to send: {@value} ms. */
  public static final long DEFAULT_TIMEOUT_MS = 25_000;

  /** How long a client waits between a {@code /meta/connect} reply and the next: {@value} ms. */
  public static final long DEFAULT_INTERVAL_MS = 0;

  /**
   * How long a client may stay without a {@code /meta/connect} before its Bayeux session is removed
   * and its feeds are cancelled: {@value} ms.
   */
  public static final long DEFAULT_MAX_INTERVAL_MS = 10_000;

  /**
   * Most messages waiting for one client: {@value}. A client that lets more pile up is a slow
   * client: the message is dropped and the client is disconnected; it handshakes again and resumes
   * with {@code requestNotifications} from its last position.
   */
  public static final int DEFAULT_MAX_QUEUE = 1_000;

  /**
   * Most bytes of messages waiting for one client, counted from when they are queued until the
   * transport has written them: {@value} (16 MiB). A client that lets more pile up is slow, as with
   * {@link #DEFAULT_MAX_QUEUE}: the message is dropped and the client is disconnected.
   */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;

  /** Largest inbound Bayeux request (HTTP body or WebSocket message): {@value} bytes. */
  public static final int DEFAULT_MAX_MESSAGE_SIZE = 65_536;

  /** Whether the WebSocket transport is offered (long-polling always is): {@value}. */
  public static final boolean DEFAULT_WEBSOCKET_ENABLED = true;

  /**
   * Milliseconds a new Bayeux WebSocket has to send its first message (the handshake) before it is
   * closed with code 4001: {@value}.
   */
  public static final long DEFAULT_FIRST_MESSAGE_TIMEOUT_MS = 5_000;

  @DurationUnit(ChronoUnit.MILLIS)
  private long firstMessageTimeoutMs = DEFAULT_FIRST_MESSAGE_TIMEOUT_MS;

  private String path = DEFAULT_PATH;

  @DurationUnit(ChronoUnit.MILLIS)
  private long timeoutMs = DEFAULT_TIMEOUT_MS;

  @DurationUnit(ChronoUnit.MILLIS)
  private long intervalMs = DEFAULT_INTERVAL_MS;

  @DurationUnit(ChronoUnit.MILLIS)
  private long maxIntervalMs = DEFAULT_MAX_INTERVAL_MS;

  private int maxQueue = DEFAULT_MAX_QUEUE;
  private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
  private int maxMessageSize = DEFAULT_MAX_MESSAGE_SIZE;
  private boolean webSocketEnabled = DEFAULT_WEBSOCKET_ENABLED;

  public CometdOptions() {}

  public CometdOptions(CometdOptions other) {
    this(other.toJson());
  }

  /** Reads the options from JSON; missing fields keep their defaults. */
  public CometdOptions(JsonObject json) {
    setPath(json.getString("path", DEFAULT_PATH));
    setTimeoutMs(json.getLong("timeoutMs", DEFAULT_TIMEOUT_MS));
    setIntervalMs(json.getLong("intervalMs", DEFAULT_INTERVAL_MS));
    setMaxIntervalMs(json.getLong("maxIntervalMs", DEFAULT_MAX_INTERVAL_MS));
    setMaxQueue(json.getInteger("maxQueue", DEFAULT_MAX_QUEUE));
    setMaxQueuedBytes(json.getLong("maxQueuedBytes", DEFAULT_MAX_QUEUED_BYTES));
    setMaxMessageSize(json.getInteger("maxMessageSize", DEFAULT_MAX_MESSAGE_SIZE));
    setWebSocketEnabled(json.getBoolean("webSocketEnabled", DEFAULT_WEBSOCKET_ENABLED));
    setFirstMessageTimeoutMs(
        json.getLong("firstMessageTimeoutMs", DEFAULT_FIRST_MESSAGE_TIMEOUT_MS));
  }

  public long getFirstMessageTimeoutMs() {
    return firstMessageTimeoutMs;
  }

  public CometdOptions setFirstMessageTimeoutMs(long ms) {
    this.firstMessageTimeoutMs = ms;
    return this;
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("path", path)
        .put("timeoutMs", timeoutMs)
        .put("intervalMs", intervalMs)
        .put("maxIntervalMs", maxIntervalMs)
        .put("maxQueue", maxQueue)
        .put("maxQueuedBytes", maxQueuedBytes)
        .put("maxMessageSize", maxMessageSize)
        .put("firstMessageTimeoutMs", firstMessageTimeoutMs)
        .put("webSocketEnabled", webSocketEnabled);
  }

  public String getPath() {
    return path;
  }

  /** An absolute path without a trailing slash, e.g. {@code /genesys/cometd}. */
  public CometdOptions setPath(String path) {
    Objects.requireNonNull(path, "path");
    if (!path.startsWith("/") || (path.length() > 1 && path.endsWith("/"))) {
      throw new IllegalArgumentException("path must start with / and not end with /: " + path);
    }
    this.path = path;
    return this;
  }

  public long getTimeoutMs() {
    return timeoutMs;
  }

  public CometdOptions setTimeoutMs(long timeoutMs) {
    this.timeoutMs = positive("timeoutMs", timeoutMs);
    return this;
  }

  public long getIntervalMs() {
    return intervalMs;
  }

  public CometdOptions setIntervalMs(long intervalMs) {
    if (intervalMs < 0) {
      throw new IllegalArgumentException("intervalMs must be >= 0: " + intervalMs);
    }
    this.intervalMs = intervalMs;
    return this;
  }

  public long getMaxIntervalMs() {
    return maxIntervalMs;
  }

  public CometdOptions setMaxIntervalMs(long maxIntervalMs) {
    this.maxIntervalMs = positive("maxIntervalMs", maxIntervalMs);
    return this;
  }

  public int getMaxQueue() {
    return maxQueue;
  }

  public CometdOptions setMaxQueue(int maxQueue) {
    this.maxQueue = (int) positive("maxQueue", maxQueue);
    return this;
  }

  public long getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  public CometdOptions setMaxQueuedBytes(long maxQueuedBytes) {
    this.maxQueuedBytes = positive("maxQueuedBytes", maxQueuedBytes);
    return this;
  }

  public int getMaxMessageSize() {
    return maxMessageSize;
  }

  public CometdOptions setMaxMessageSize(int maxMessageSize) {
    this.maxMessageSize = (int) positive("maxMessageSize", maxMessageSize);
    return this;
  }

  public boolean isWebSocketEnabled() {
    return webSocketEnabled;
  }

  public CometdOptions setWebSocketEnabled(boolean webSocketEnabled) {
    this.webSocketEnabled = webSocketEnabled;
    return this;
  }

  private static long positive(String name, long value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be > 0: " + value);
    }
    return value;
  }
}
