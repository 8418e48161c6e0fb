package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import dev.hachat.common.config.PortOptions;
import java.time.temporal.ChronoUnit;

/** The admin listener: health, KPIs, metrics, the operations of docs/operations.md. */
public class AdminPortOptions extends PortOptions {
  /**
   * Default {@code admin.idle-timeout}: seconds a connection may send and receive nothing before it
   * is closed. Monitoring and peers make short requests, so a silent socket is only held this long.
   */
  public static final int DEFAULT_IDLE_TIMEOUT = 60;

  @DurationUnit(ChronoUnit.SECONDS)
  private int idleTimeout = DEFAULT_IDLE_TIMEOUT;

  public AdminPortOptions() {
    super("127.0.0.1", 9082);
  }

  public int getIdleTimeout() {
    return idleTimeout;
  }

  public AdminPortOptions setIdleTimeout(int seconds) {
    this.idleTimeout = seconds;
    return this;
  }

  @Override
  public void validate(String prefix) {
    super.validate(prefix);
    ConfigException.check(idleTimeout >= 2, prefix + ".idle-timeout", "must be >= 2 seconds");
  }

  @Override
  public AdminPortOptions setHost(String host) {
    super.setHost(host);
    return this;
  }

  @Override
  public AdminPortOptions setPort(int port) {
    super.setPort(port);
    return this;
  }
}
