package dev.hachat.common.limit;

import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the concurrent connections from one client address: a connection beyond {@code max} is
 * closed as soon as it is accepted (nothing is answered on it), and {@code onRefused} runs.
 *
 * <p>Thread-safe: connections of one server arrive on several event loops; the counts are a
 * concurrent map updated atomically.
 */
public final class ConnectionCap {
  private final int max;
  private final Runnable onRefused;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  public ConnectionCap(int max, Runnable onRefused) {
    this.max = max;
    this.onRefused = onRefused;
  }

  /** The server's connection handler. */
  public void accept(HttpConnection conn) {
    SocketAddress remote = conn.remoteAddress();
    String key = remote == null || remote.hostAddress() == null ? "?" : remote.hostAddress();
    int n = open.merge(key, 1, Integer::sum);
    conn.closeHandler(v -> open.computeIfPresent(key, (k, c) -> c <= 1 ? null : c - 1));
    if (n > max) {
      onRefused.run();
      conn.close();
    }
  }
}
