package dev.hachat.testing;

import java.util.Map;

/**
 * Instance properties that lift the per-participant rate limits ({@code session.limits.*}) and the
 * per-address limit of new chats ({@code webapi.new-chats-*}) for load generators: a test client
 * sends many messages a second and opens many chats from 127.0.0.1, a person sends one every few
 * seconds. A test about the limits themselves sets its own values, which win.
 */
public final class LoadLimits {
  private LoadLimits() {}

  /** The properties, as system properties of an instance process ({@code hachat.*}). */
  public static final Map<String, String> INSTANCE_PROPERTIES =
      Map.of(
          "hachat.webapi.new-chats-per-minute", "10000000",
          "hachat.webapi.new-chats-burst", "1000000",
          "hachat.session.limits.sends-per-minute", "1000000",
          "hachat.session.limits.sends-burst", "10000",
          "hachat.session.limits.typing-per-minute", "1000000",
          "hachat.session.limits.typing-burst", "10000",
          "hachat.session.limits.updates-per-minute", "1000000",
          "hachat.session.limits.updates-burst", "10000");

  /** {@code properties} with the lifted limits added where it sets none. */
  public static Map<String, String> withDefaults(Map<String, String> properties) {
    Map<String, String> out = new java.util.LinkedHashMap<>(INSTANCE_PROPERTIES);
    out.putAll(properties);
    return out;
  }
}
