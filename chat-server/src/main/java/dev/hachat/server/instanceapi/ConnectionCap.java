package dev.hachat.server.instanceapi;

import dev.hachat.server.metrics.LimitKpi;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Caps the concurrent connections from one client address: a connection beyond {@code max} is
 * closed as soon as it is accepted (nothing is answered on it), and counted in {@code
 * limit_connections_refused}.
 *
 * <p>Thread-safe: connections of one server arrive on several event loops; the counts are a
 * concurrent map updated atomically.
 */
final class ConnectionCap {
  private final int max;
  private final LimitKpi kpi;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  ConnectionCap(int max, LimitKpi kpi) {
    this.max = max;
    this.kpi = kpi;
  }

  /** The server's connection handler. */
  void accept(HttpConnection conn) {
    SocketAddress remote = conn.remoteAddress();
    String key = remote == null || remote.hostAddress() == null ? "?" : remote.hostAddress();
    int n = open.merge(key, 1, Integer::sum);
    conn.closeHandler(v -> open.computeIfPresent(key, (k, c) -> c <= 1 ? null : c - 1));
    if (n > max) {
      kpi.connectionRefused();
      conn.close();
    }
  }
}
