package dev.hachat.common.limit;

import dev.hachat.common.config.PortOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Caps the concurrent connections from one client address: a connection beyond {@code max} is
 * closed as soon as it is accepted (nothing is answered on it), and {@code onRefused} runs.
 *
 * <p>The server must be made with {@link #serverOptions}: with HTTP/2 over clear text on (the
 * Vert.x default), a connection reaches the connection handler only once its first bytes arrived,
 * so silent connections would never be counted.
 *
 * <p>Thread-safe: connections of one server arrive on several event loops; the counts are a
 * concurrent map updated atomically.
 */
public final class ConnectionCap {
  private final int max;
  private final Set<String> exempt;
  private final Runnable onRefused;
  private final Map<String, Integer> open = new ConcurrentHashMap<>();

  public ConnectionCap(int max, Runnable onRefused) {
    this(max, Set.of(), onRefused);
  }

  /** As above; connections from the {@code exempt} addresses (load balancers) are not counted. */
  public ConnectionCap(int max, Set<String> exempt, Runnable onRefused) {
    this.max = max;
    this.exempt = Set.copyOf(exempt);
    this.onRefused = onRefused;
  }

  /**
   * {@code options} made fit for the cap (HTTP/1.1 only, so every connection is seen at accept).
   */
  public HttpServerOptions serverOptions(HttpServerOptions options) {
    return options.setHttp2ClearTextEnabled(false);
  }

  /**
   * A server made with {@code options} (see {@link #serverOptions}) whose connections this cap
   * counts; the caller adds its request or WebSocket handlers.
   */
  public HttpServer newServer(Vertx vertx, HttpServerOptions options) {
    return vertx.createHttpServer(serverOptions(options)).connectionHandler(this::accept);
  }

  /**
   * A server for {@code port}: its TLS, closing connections silent for {@code idleTimeoutSeconds},
   * with connections counted by this cap.
   */
  public HttpServer newServer(Vertx vertx, PortOptions port, int idleTimeoutSeconds) {
    return newServer(
        vertx,
        port.getTls()
            .apply(
                new HttpServerOptions()
                    .setIdleTimeout(idleTimeoutSeconds)
                    .setIdleTimeoutUnit(TimeUnit.SECONDS)));
  }

  /**
   * Runs {@code action} once, when the TCP connection under {@code conn} closes. The close of the
   * Netty channel, not {@link HttpConnection#closeHandler}: a connection upgraded to a WebSocket
   * (ESP, push streams, CometD) is handed to a new Vert.x connection object, and the old one's
   * close handler never runs, so every WebSocket would hold its place for good.
   */
  private static void onTcpClose(HttpConnection conn, Runnable action) {
    if (conn instanceof ConnectionBase base) {
      base.channel().closeFuture().addListener(f -> action.run());
    } else {
      conn.closeHandler(v -> action.run());
    }
  }

  /** The server's connection handler. */
  public void accept(HttpConnection conn) {
    SocketAddress remote = conn.remoteAddress();
    String key = remote == null || remote.hostAddress() == null ? "?" : remote.hostAddress();
    if (exempt.contains(key)) {
      return;
    }
    int n = open.merge(key, 1, Integer::sum);
    onTcpClose(conn, () -> open.computeIfPresent(key, (k, c) -> c <= 1 ? null : c - 1));
    if (n > max) {
      onRefused.run();
      conn.close();
    }
  }
}
