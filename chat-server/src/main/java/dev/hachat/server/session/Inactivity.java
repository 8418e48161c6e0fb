package dev.hachat.server.session;

import dev.hachat.server.config.InactivityOptions;

/**
 * A session's inactivity control (Genesys {@code inactivity-control}): when it last saw a message,
 * and whether participants were already warned. Confined to the session's loop.
 */
final class Inactivity {
  /** What the session should do now. */
  enum Step {
    NONE,
    /** Warn: {@code timeout-alert} seconds passed without a message. */
    ALERT,
    /** Close: {@code timeout-close} more seconds passed after the warning. */
    CLOSE
  }

  private long lastActivity;
  private boolean alerted;

  Inactivity(long now) {
    this.lastActivity = now;
  }

  /** A message arrived. */
  void touch(long now) {
    lastActivity = now;
    alerted = false;
  }

  Step check(long now, InactivityOptions opts) {
    long idle = now - lastActivity;
    if (!alerted && idle >= opts.getTimeoutAlert() * 1000L) {
      alerted = true;
      return Step.ALERT;
    }
    if (alerted && idle >= (opts.getTimeoutAlert() + opts.getTimeoutClose()) * 1000L) {
      return Step.CLOSE;
    }
    return Step.NONE;
  }
}
