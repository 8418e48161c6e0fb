package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import dev.hachat.common.config.PortOptions;
import java.time.temporal.ChronoUnit;

/** The webapi (customer side) listener. */
public class WebApiPortOptions extends PortOptions {
  /** Default {@code webapi.max-body-size}: largest request body in bytes (413 above it). */
  public static final int DEFAULT_MAX_BODY_SIZE = 64 * 1024;

  /**
   * Default {@code webapi.max-queued-events}: events queued for one push connection before it is
   * closed as a slow consumer (close code 4008).
   */
  public static final int DEFAULT_MAX_QUEUED_EVENTS = 1000;

  /**
   * Default {@code webapi.idle-timeout}: seconds a connection may send and receive nothing before
   * it is closed (a silent socket, a body trickling slower than this). Push WebSockets are kept
   * alive by a server ping every half of it, so an idle but healthy push stream stays open.
   */
  public static final int DEFAULT_IDLE_TIMEOUT = 30;

  /** Default {@code webapi.max-connections-per-address}: concurrent connections per client IP. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 256;

  /**
   * Default {@code webapi.hello-timeout}: seconds a new push WebSocket has to send its first frame
   * (the participant's credentials) before it is closed with code 4001.
   */
  public static final int DEFAULT_HELLO_TIMEOUT = 5;

  /**
   * Default {@code webapi.new-chats-per-minute}: chats one customer address may open here per
   * minute (refilled evenly), as the web API server's {@code edge.new-chats-per-minute}. The
   * address is the one a web API server names in {@code X-Forwarded-For} (docs/security.md).
   */
  public static final int DEFAULT_NEW_CHATS_PER_MINUTE = 20;

  /** Default {@code webapi.new-chats-burst}: chats one address may open at once before the rate. */
  public static final int DEFAULT_NEW_CHATS_BURST = 5;

  private int newChatsPerMinute = DEFAULT_NEW_CHATS_PER_MINUTE;
  private int newChatsBurst = DEFAULT_NEW_CHATS_BURST;

  @DurationUnit(ChronoUnit.SECONDS)
  private int helloTimeout = DEFAULT_HELLO_TIMEOUT;

  @DurationUnit(ChronoUnit.SECONDS)
  private int idleTimeout = DEFAULT_IDLE_TIMEOUT;

  private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  private int maxBodySize = DEFAULT_MAX_BODY_SIZE;

  /**
   * Default {@code webapi.max-queued-bytes}: bytes of events not yet written to one push connection
   * before it is closed as a slow consumer (close code 4008).
   */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 1024 * 1024;

  private int maxQueuedEvents = DEFAULT_MAX_QUEUED_EVENTS;
  private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;

  public WebApiPortOptions() {
    super("127.0.0.1", 9080);
  }

  public int getMaxBodySize() {
    return maxBodySize;
  }

  public WebApiPortOptions setMaxBodySize(int v) {
    this.maxBodySize = v;
    return this;
  }

  public int getNewChatsPerMinute() {
    return newChatsPerMinute;
  }

  public WebApiPortOptions setNewChatsPerMinute(int v) {
    this.newChatsPerMinute = v;
    return this;
  }

  public int getNewChatsBurst() {
    return newChatsBurst;
  }

  public WebApiPortOptions setNewChatsBurst(int v) {
    this.newChatsBurst = v;
    return this;
  }

  public int getHelloTimeout() {
    return helloTimeout;
  }

  public WebApiPortOptions setHelloTimeout(int seconds) {
    this.helloTimeout = seconds;
    return this;
  }

  public int getIdleTimeout() {
    return idleTimeout;
  }

  public WebApiPortOptions setIdleTimeout(int v) {
    this.idleTimeout = v;
    return this;
  }

  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public WebApiPortOptions setMaxConnectionsPerAddress(int v) {
    this.maxConnectionsPerAddress = v;
    return this;
  }

  public long getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  public WebApiPortOptions setMaxQueuedBytes(long v) {
    this.maxQueuedBytes = v;
    return this;
  }

  public int getMaxQueuedEvents() {
    return maxQueuedEvents;
  }

  public WebApiPortOptions setMaxQueuedEvents(int v) {
    this.maxQueuedEvents = v;
    return this;
  }

  @Override
  public void validate(String prefix) {
    super.validate(prefix);
    ConfigException.check(maxBodySize >= 1024, prefix + ".max-body-size", "must be >= 1024");
    ConfigException.check(idleTimeout >= 2, prefix + ".idle-timeout", "must be >= 2 seconds");
    ConfigException.check(
        maxConnectionsPerAddress >= 1, prefix + ".max-connections-per-address", "must be >= 1");
    ConfigException.check(
        maxQueuedBytes >= 64 * 1024, prefix + ".max-queued-bytes", "must be >= 65536");
    ConfigException.check(maxQueuedEvents >= 1, prefix + ".max-queued-events", "must be >= 1");
    ConfigException.check(helloTimeout >= 1, prefix + ".hello-timeout", "must be >= 1 second");
    ConfigException.check(newChatsPerMinute >= 1, prefix + ".new-chats-per-minute", "must be >= 1");
    ConfigException.check(newChatsBurst >= 1, prefix + ".new-chats-burst", "must be >= 1");
  }

  @Override
  public WebApiPortOptions setHost(String host) {
    super.setHost(host);
    return this;
  }

  @Override
  public WebApiPortOptions setPort(int port) {
    super.setPort(port);
    return this;
  }
}
