package dev.hachat.store;

import dev.hachat.common.config.ConfigException;
import dev.hachat.common.config.DurationUnit;
import java.time.temporal.ChronoUnit;

/** The contact-history database (UCS) on PostgreSQL: where every final transcript goes. */
public class UcsOptions {
  /** Default {@code enabled}: every closed chat's transcript is written to UCS. */
  public static final boolean DEFAULT_ENABLED = true;

  /** Default {@code final-retry-min-delay}: first pause before retrying a final write, ms. */
  public static final int DEFAULT_FINAL_RETRY_MIN_DELAY = 200;

  /** Default {@code final-retry-max-delay}: the pause doubles up to this, ms. */
  public static final int DEFAULT_FINAL_RETRY_MAX_DELAY = 10_000;

  /** Default {@code sweep-interval}: how often to look for closed chats nobody finished, ms. */
  public static final int DEFAULT_SWEEP_INTERVAL = 5000;

  private boolean enabled = DEFAULT_ENABLED;
  private PostgresStoreOptions postgres = new PostgresStoreOptions();

  @DurationUnit(ChronoUnit.MILLIS)
  private int finalRetryMinDelay = DEFAULT_FINAL_RETRY_MIN_DELAY;

  @DurationUnit(ChronoUnit.MILLIS)
  private int finalRetryMaxDelay = DEFAULT_FINAL_RETRY_MAX_DELAY;

  @DurationUnit(ChronoUnit.MILLIS)
  private int sweepInterval = DEFAULT_SWEEP_INTERVAL;

  public boolean isEnabled() {
    return enabled;
  }

  public UcsOptions setEnabled(boolean enabled) {
    this.enabled = enabled;
    return this;
  }

  public PostgresStoreOptions getPostgres() {
    return postgres;
  }

  public UcsOptions setPostgres(PostgresStoreOptions postgres) {
    this.postgres = postgres;
    return this;
  }

  public int getFinalRetryMinDelay() {
    return finalRetryMinDelay;
  }

  public UcsOptions setFinalRetryMinDelay(int millis) {
    this.finalRetryMinDelay = millis;
    return this;
  }

  public int getFinalRetryMaxDelay() {
    return finalRetryMaxDelay;
  }

  public UcsOptions setFinalRetryMaxDelay(int millis) {
    this.finalRetryMaxDelay = millis;
    return this;
  }

  public int getSweepInterval() {
    return sweepInterval;
  }

  public UcsOptions setSweepInterval(int millis) {
    this.sweepInterval = millis;
    return this;
  }

  public void validate() {
    ConfigException.check(postgres != null, "ucs.postgres", "missing");
    ConfigException.check(
        postgres.getPort() > 0 && postgres.getPort() < 65536, "ucs.postgres.port", "1..65535");
    ConfigException.check(
        java.util.Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")
            .contains(postgres.getSslMode()),
        "ucs.postgres.ssl-mode",
        "one of disable, allow, prefer, require, verify-ca, verify-full");
    ConfigException.check(postgres.getPoolSize() >= 1, "ucs.postgres.pool-size", "must be >= 1");
    ConfigException.check(
        postgres.getRequestTimeout() >= 1, "ucs.postgres.request-timeout", "must be >= 1 ms");
    ConfigException.check(
        finalRetryMinDelay >= 1 && finalRetryMaxDelay >= finalRetryMinDelay,
        "ucs.final-retry-max-delay",
        "must be >= final-retry-min-delay >= 1");
    ConfigException.check(sweepInterval >= 100, "ucs.sweep-interval", "must be >= 100 ms");
  }
}
