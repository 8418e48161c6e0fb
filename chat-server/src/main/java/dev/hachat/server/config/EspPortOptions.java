package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import dev.hachat.common.config.PortOptions;
import java.time.temporal.ChronoUnit;

/**
 * The ESP (agent / interaction side) listener. Who may log in is {@code security.*} (the old shared
 * {@code esp.token} is gone: docs/security.md).
 */
public class EspPortOptions extends PortOptions {
  /**
   * Default {@code esp.max-queued-bytes}: bytes of frames not yet written to one ESP connection
   * before it is closed as a slow consumer (close code 4008). An agent desktop or interaction
   * server follows many chats, so this is larger than a customer's.
   */
  public static final long DEFAULT_MAX_QUEUED_BYTES = 16L * 1024 * 1024;

  /**
   * Default {@code esp.idle-timeout}: seconds an ESP connection may be silent before it is closed;
   * the instance pings every half of it, so only a dead or stuck peer reaches it.
   */
  public static final int DEFAULT_IDLE_TIMEOUT = 60;

  /** Default {@code esp.max-connections-per-address}: concurrent ESP connections per address. */
  public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 64;

  /**
   * Default {@code esp.page-items}: most transcript entries or waiting chats in one reply; a client
   * asks for the rest page by page (docs/esp.md, "Pages").
   */
  public static final int DEFAULT_PAGE_ITEMS = 200;

  /**
   * Default {@code esp.page-bytes}: most bytes of encoded items in one reply (128 KiB), half the
   * 256 KiB a WebSocket message may have in Vert.x clients, so one more entry always fits.
   */
  public static final int DEFAULT_PAGE_BYTES = 128 * 1024;

  private int pageItems = DEFAULT_PAGE_ITEMS;
  private int pageBytes = DEFAULT_PAGE_BYTES;

  @DurationUnit(ChronoUnit.SECONDS)
  private int idleTimeout = DEFAULT_IDLE_TIMEOUT;

  private int maxConnectionsPerAddress = DEFAULT_MAX_CONNECTIONS_PER_ADDRESS;
  private long maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;

  public int getIdleTimeout() {
    return idleTimeout;
  }

  public EspPortOptions setIdleTimeout(int v) {
    this.idleTimeout = v;
    return this;
  }

  public int getMaxConnectionsPerAddress() {
    return maxConnectionsPerAddress;
  }

  public EspPortOptions setMaxConnectionsPerAddress(int v) {
    this.maxConnectionsPerAddress = v;
    return this;
  }

  public long getMaxQueuedBytes() {
    return maxQueuedBytes;
  }

  public EspPortOptions setMaxQueuedBytes(long v) {
    this.maxQueuedBytes = v;
    return this;
  }

  public int getPageItems() {
    return pageItems;
  }

  public EspPortOptions setPageItems(int v) {
    this.pageItems = v;
    return this;
  }

  public int getPageBytes() {
    return pageBytes;
  }

  public EspPortOptions setPageBytes(int v) {
    this.pageBytes = v;
    return this;
  }

  public EspPortOptions() {
    super("127.0.0.1", 9081);
  }

  @Override
  public void validate(String prefix) {
    super.validate(prefix);
    ConfigException.check(idleTimeout >= 2, prefix + ".idle-timeout", "must be >= 2 seconds");
    ConfigException.check(
        maxConnectionsPerAddress >= 1, prefix + ".max-connections-per-address", "must be >= 1");
    ConfigException.check(
        maxQueuedBytes >= 64 * 1024, prefix + ".max-queued-bytes", "must be >= 65536");
    ConfigException.check(pageItems >= 1, prefix + ".page-items", "must be >= 1");
    ConfigException.check(
        pageBytes >= 1024 && pageBytes <= 128 * 1024,
        prefix + ".page-bytes",
        "must be between 1024 and 131072");
  }

  @Override
  public EspPortOptions setHost(String host) {
    super.setHost(host);
    return this;
  }

  @Override
  public EspPortOptions setPort(int port) {
    super.setPort(port);
    return this;
  }
}
