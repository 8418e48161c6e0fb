package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for a web API server behind HAProxy, to test what the load balancer does (not what
 * hachat does): it answers {@code GET /health} with 200 or, when {@link #healthy} is off, 503; it
 * answers every other request with a JSON echo of what arrived (its name, the X-Forwarded-For
 * headers), or, when {@link #dying} is on, reads the whole request and closes the connection
 * without a byte of answer (a server killed while it processed the request). It records every
 * request other than health checks.
 */
final class StubWebApi implements AutoCloseable {
  /** A request as it reached the stub. */
  record Seen(String path, List<String> forwardedFor, String cookie, String body) {}

  final String name;
  final List<Seen> seen = new CopyOnWriteArrayList<>();
  volatile boolean healthy = true;
  volatile boolean dying;
  private final HttpServer server;

  private StubWebApi(String name, HttpServer server) {
    this.name = name;
    this.server = server;
  }

  static StubWebApi start(Vertx vertx, String name) throws Exception {
    StubWebApi[] self = new StubWebApi[1];
    HttpServer s = vertx.createHttpServer().requestHandler(r -> self[0].handle(r));
    self[0] = new StubWebApi(name, s);
    await(s.listen(0, "127.0.0.1"));
    return self[0];
  }

  int port() {
    return server.actualPort();
  }

  /** Requests whose body contains {@code tag}. */
  List<Seen> seenWith(String tag) {
    return seen.stream().filter(s -> s.body().contains(tag)).toList();
  }

  private void handle(HttpServerRequest req) {
    if ("/health".equals(req.path())) {
      req.response().setStatusCode(healthy ? 200 : 503).end(healthy ? "UP" : "NO_INSTANCE");
      return;
    }
    req.body()
        .onSuccess(
            body -> {
              List<String> xff = req.headers().getAll("X-Forwarded-For");
              seen.add(
                  new Seen(req.path(), List.copyOf(xff), req.getHeader("Cookie"), body.toString()));
              if (dying) {
                req.connection().close();
                return;
              }
              req.response()
                  .putHeader("content-type", "application/json")
                  .end(
                      new JsonObject()
                          .put("statusCode", 0)
                          .put("server", name)
                          .put("forwardedFor", new JsonArray(xff))
                          .encode());
            });
  }

  /** Back to a healthy, answering server with nothing recorded. */
  void reset() {
    healthy = true;
    dying = false;
    seen.clear();
  }

  @Override
  public void close() throws Exception {
    await(server.close());
  }
}
