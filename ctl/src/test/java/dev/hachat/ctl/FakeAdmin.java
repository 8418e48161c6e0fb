package dev.hachat.ctl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;

/**
 * A stand-in for an instance's admin port in unit tests: the JDK's HTTP server on a free loopback
 * port, answering each {@code "METHOD /path?query"} with canned answers (the last one repeats) and
 * recording what it was asked. {@link #hang} makes a route answer only when the test ends.
 */
final class FakeAdmin implements AutoCloseable {
  record Answer(int status, String body) {}

  record Call(String method, String uri, String authorization) {}

  private final HttpServer server;
  private final Map<String, Deque<Answer>> routes = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);

  FakeAdmin() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newCachedThreadPool());
    server.createContext("/", this::handle);
    server.start();
  }

  String address() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers {@code route} ({@code "GET /cluster"}) with these, in turn; the last one repeats. */
  FakeAdmin on(String route, int status, String... bodies) {
    Deque<Answer> q = new ArrayDeque<>();
    for (String b : bodies) {
      q.add(new Answer(status, b));
    }
    routes.put(route, q);
    return this;
  }

  /** {@code route} answers nothing until the fake is closed (a hung instance). */
  FakeAdmin hang(String route) {
    routes.put(route, new ArrayDeque<>());
    return this;
  }

  List<Call> calls() {
    return calls;
  }

  private void handle(HttpExchange ex) throws IOException {
    String route = ex.getRequestMethod() + " " + ex.getRequestURI();
    calls.add(
        new Call(
            ex.getRequestMethod(),
            ex.getRequestURI().toString(),
            ex.getRequestHeaders().getFirst("Authorization")));
    Deque<Answer> q = routes.get(route);
    Answer a;
    if (q == null) {
      a = new Answer(404, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"no such endpoint\"}}");
    } else if (q.isEmpty()) {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      ex.close();
      return;
    } else {
      synchronized (q) {
        a = q.size() > 1 ? q.poll() : q.peek();
      }
    }
    byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().add("content-type", "application/json");
    ex.sendResponseHeaders(a.status(), body.length);
    ex.getResponseBody().write(body);
    ex.close();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
