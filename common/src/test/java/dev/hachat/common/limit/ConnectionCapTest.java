package dev.hachat.common.limit;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real HTTP server on loopback with a cap of 2 connections per address, and silent sockets. */
class ConnectionCapTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicInteger refused = new AtomicInteger();
  private HttpServer server;
  private final List<Socket> sockets = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    ConnectionCap cap = new ConnectionCap(2, refused::incrementAndGet);
    server =
        await(
            vertx
                .createHttpServer(cap.serverOptions(new HttpServerOptions()))
                .connectionHandler(cap::accept)
                .webSocketHandler(ws -> ws.textMessageHandler(ws::writeTextMessage))
                .requestHandler(r -> r.response().end("ok"))
                .listen(0, "127.0.0.1"));
  }

  @AfterEach
  void stop() throws Exception {
    for (Socket s : sockets) {
      s.close();
    }
    await(vertx.close());
  }

  private Socket open(String from) throws IOException {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(from, 0));
    s.connect(new InetSocketAddress("127.0.0.1", server.actualPort()));
    s.setSoTimeout(2000);
    sockets.add(s);
    return s;
  }

  /** True if the server closed the socket before the read timed out. */
  private static boolean closedByServer(Socket s) throws IOException {
    try {
      return s.getInputStream().read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Test
  void connections_past_the_cap_from_one_address_are_closed_at_once() throws Exception {
    Socket a = open("127.0.0.1");
    Socket b = open("127.0.0.1");
    Socket c = open("127.0.0.1");
    Socket other = open("127.0.0.3");

    assertThat(closedByServer(c)).as("the third from one address").isTrue();
    assertThat(refused).hasValue(1);
    a.setSoTimeout(300);
    b.setSoTimeout(300);
    other.setSoTimeout(300);
    assertThat(closedByServer(a)).isFalse();
    assertThat(closedByServer(b)).isFalse();
    assertThat(closedByServer(other)).as("another address has its own count").isFalse();
  }

  @Test
  void a_closed_connection_frees_its_place() throws Exception {
    open("127.0.0.1");
    Socket b = open("127.0.0.1");
    b.close();
    org.awaitility.Awaitility.await()
        .untilAsserted(
            () -> {
              Socket next = open("127.0.0.1");
              next.setSoTimeout(300);
              assertThat(closedByServer(next)).isFalse();
            });
  }

  @Test
  void a_closed_websocket_frees_its_place() throws Exception {
    WebSocketClient client = vertx.createWebSocketClient();
    for (int i = 0; i < 5; i++) {
      // the server frees the place when its side of the socket has closed: retry until then
      WebSocket ws =
          org.awaitility.Awaitility.await()
              .ignoreExceptions()
              .until(
                  () -> await(client.connect(server.actualPort(), "127.0.0.1", "/")),
                  w -> w != null);
      await(ws.writeTextMessage("hi"));
      await(ws.close());
    }
    org.awaitility.Awaitility.await().until(this::twoPlacesFree);
  }

  /** Whether two more sockets from 127.0.0.1 both stay open now; closes them. */
  private boolean twoPlacesFree() throws IOException {
    Socket a = open("127.0.0.1");
    Socket b = open("127.0.0.1");
    try {
      a.setSoTimeout(300);
      b.setSoTimeout(300);
      return !closedByServer(a) && !closedByServer(b);
    } finally {
      a.close();
      b.close();
    }
  }
}
