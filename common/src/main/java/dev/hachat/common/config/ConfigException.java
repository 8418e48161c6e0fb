package dev.hachat.common.config;

/** A configuration value that cannot be used; the message names the option. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String option, String problem) {
    super("option '" + option + "': " + problem, null, false, false);
  }

  public ConfigException(String message) {
    super(message, null, false, false);
  }

  public static void check(boolean ok, String option, String problem) {
    if (!ok) {
      throw new ConfigException(option, problem);
    }
  }
}
