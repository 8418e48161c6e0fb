package dev.hachat.gms.cometd;

import static dev.hachat.testing.Await.join;

import dev.hachat.gms.cometd.BayeuxClients.Transport;
import dev.hachat.gms.config.EdgeOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * A CometD endpoint over an {@link InMemoryChatService} on a random port, its meters, and real
 * CometD clients of it; {@link #close} disconnects the clients and stops the endpoint and server.
 */
final class CometdTestServer {
  final InMemoryChatService chats;
  final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  final CometdEndpoint endpoint;
  final HttpServer server;
  private final BayeuxClients clients;

  CometdTestServer(Vertx vertx, CometdOptions options) throws Exception {
    this(vertx, options, new EdgeOptions(), new HttpServerOptions());
  }

  CometdTestServer(Vertx vertx, CometdOptions options, EdgeOptions edge, HttpServerOptions http)
      throws Exception {
    chats = new InMemoryChatService(vertx);
    endpoint = CometdEndpoint.create(vertx, chats, options, edge, metrics);
    Router router = Router.router(vertx);
    endpoint.mount(router);
    server = join(vertx.createHttpServer(http).requestHandler(router).listen(0));
    clients = new BayeuxClients();
  }

  /** A new client on {@code transport}, handshaken. */
  BayeuxTestClient connect(Transport transport) {
    return clients.connect(
        "http://localhost:" + server.actualPort() + CometdOptions.DEFAULT_PATH, transport);
  }

  void close() throws Exception {
    clients.close();
    join(endpoint.close());
    join(server.close());
  }
}
