package dev.hachat.interaction;

import java.net.URI;
import java.util.Locale;

/**
 * Whether a browser's WebSocket comes from a page of this server: the {@code Origin} it sends must
 * name the host and port the request was made to ({@code Host}). Without it, any web page open in
 * an agent's browser could open the agent API on a loopback interaction server in open mode and log
 * in as any agent (cross-site WebSocket hijacking). Clients that are not browsers send no {@code
 * Origin} (or their own target as it), and pass.
 */
final class SameOrigin {
  private SameOrigin() {}

  /**
   * Whether {@code host} (a {@code Host} header) names a loopback address or {@code localhost}: in
   * open mode a browser's socket must come through one, so that DNS rebinding (a foreign name
   * resolved to 127.0.0.1, whose pages then count as "same origin") gets nothing.
   */
  static boolean loopback(String host) {
    if (host == null) {
      return false;
    }
    URI h;
    try {
      h = new URI("//" + host.strip());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    String name = h.getHost() == null ? "" : h.getHost().toLowerCase(Locale.ROOT);
    return name.equals("localhost")
        || name.startsWith("127.")
        || name.equals("[::1]")
        || name.equals("::1");
  }

  /** True when {@code origin} is absent or names the same host and port as {@code host}. */
  static boolean allows(String origin, String host) {
    if (origin == null) {
      return true;
    }
    if (host == null || host.isEmpty()) {
      return false;
    }
    URI o;
    try {
      o = new URI(origin.strip());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (o.getHost() == null || o.getScheme() == null) {
      return false; // "null" (a sandboxed page or a file) or junk
    }
    int defaultPort = "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
    int originPort = o.getPort() < 0 ? defaultPort : o.getPort();
    URI h;
    try {
      h = new URI("//" + host.strip());
    } catch (java.net.URISyntaxException e) {
      return false;
    }
    if (h.getHost() == null) {
      return false;
    }
    int hostPort = h.getPort() < 0 ? defaultPort : h.getPort();
    return originPort == hostPort
        && o.getHost().toLowerCase(Locale.ROOT).equals(h.getHost().toLowerCase(Locale.ROOT));
  }
}
