package dev.hachat.server.config;

import dev.hachat.common.config.ConfigException;

/**
 * Bounds of a session's user data (the widget's key/value pairs, GMS {@code userData}): at chat
 * request and at every {@code updateData}, checked against the data the session would hold after
 * the change.
 */
public class UserDataOptions {
  /** Default {@code max-keys}: most keys a session's user data holds. */
  public static final int DEFAULT_MAX_KEYS = 50;

  /** Default {@code max-key-size}: longest key, in characters. */
  public static final int DEFAULT_MAX_KEY_SIZE = 64;

  /** Default {@code max-value-size}: longest value, in characters. */
  public static final int DEFAULT_MAX_VALUE_SIZE = 1024;

  private int maxKeys = DEFAULT_MAX_KEYS;
  private int maxKeySize = DEFAULT_MAX_KEY_SIZE;
  private int maxValueSize = DEFAULT_MAX_VALUE_SIZE;

  public int getMaxKeys() {
    return maxKeys;
  }

  public UserDataOptions setMaxKeys(int v) {
    this.maxKeys = v;
    return this;
  }

  public int getMaxKeySize() {
    return maxKeySize;
  }

  public UserDataOptions setMaxKeySize(int v) {
    this.maxKeySize = v;
    return this;
  }

  public int getMaxValueSize() {
    return maxValueSize;
  }

  public UserDataOptions setMaxValueSize(int v) {
    this.maxValueSize = v;
    return this;
  }

  void validate() {
    ConfigException.check(maxKeys >= 1, "session.user-data.max-keys", "must be >= 1");
    ConfigException.check(maxKeySize >= 1, "session.user-data.max-key-size", "must be >= 1");
    ConfigException.check(maxValueSize >= 0, "session.user-data.max-value-size", "must be >= 0");
  }
}
