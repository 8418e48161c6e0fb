package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/**
 * Genesys {@code inactivity-control}: a session without messages for {@code timeout-alert} seconds
 * gets an alert notice; if it stays quiet {@code timeout-close} seconds more, it closes.
 */
public class InactivityOptions {
  public static final boolean DEFAULT_ENABLED = true;
  public static final int DEFAULT_TIMEOUT_ALERT = 255;
  public static final int DEFAULT_TIMEOUT_CLOSE = 45;

  private boolean enabled = DEFAULT_ENABLED;

  @DurationUnit(ChronoUnit.SECONDS)
  private int timeoutAlert = DEFAULT_TIMEOUT_ALERT;

  @DurationUnit(ChronoUnit.SECONDS)
  private int timeoutClose = DEFAULT_TIMEOUT_CLOSE;

  public boolean isEnabled() {
    return enabled;
  }

  public InactivityOptions setEnabled(boolean v) {
    this.enabled = v;
    return this;
  }

  public int getTimeoutAlert() {
    return timeoutAlert;
  }

  public InactivityOptions setTimeoutAlert(int v) {
    this.timeoutAlert = v;
    return this;
  }

  public int getTimeoutClose() {
    return timeoutClose;
  }

  public InactivityOptions setTimeoutClose(int v) {
    this.timeoutClose = v;
    return this;
  }

  void validate() {
    ConfigException.check(
        timeoutAlert >= 1, "session.inactivity-control.timeout-alert", "must be >= 1 second");
    ConfigException.check(
        timeoutClose >= 1, "session.inactivity-control.timeout-close", "must be >= 1 second");
  }
}
