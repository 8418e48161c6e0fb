package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Customers on the GMS REST API the way the demo widget ({@code webroot/widget.js}) drives it,
 * through one address (a load balancer): every send carries a messageId chosen here; on a network
 * error, a timeout, an answer that is not GMS JSON or statusCode 1, the same request is sent again
 * after a random pause, until a deadline; statusCode 2 fails at once. A new chat is asked for once
 * (the widget shows the error). Every attempt that did not succeed is recorded. Blocking; one
 * thread per customer.
 */
final class WidgetRestCustomers {
  static final String SERVICE = "/genesys/2/chat/customer-support";
  private static final int ATTEMPT_TIMEOUT_MS = 40_000; // the widget's requestTimeout
  private static final long DEADLINE_SECONDS = 90;

  /** An attempt that did not succeed: when (nanoTime), what, and the answer or error. */
  record Failure(long at, String path, String what) {}

  /** A customer's chat: credentials, the alias last heard, the next position to read from. */
  static final class Chat {
    final String chatId;
    final String userId;
    final String secureKey;
    volatile String alias;
    volatile long next;

    Chat(JsonObject answer) {
      this.chatId = answer.getString("chatId");
      this.userId = answer.getString("userId");
      this.secureKey = answer.getString("secureKey");
      this.alias = answer.getString("alias");
      this.next = answer.getLong("nextPosition", 1L);
    }
  }

  final List<Failure> failures = new CopyOnWriteArrayList<>();
  final AtomicInteger attempts = new AtomicInteger();
  private final WebClient http;
  private final int port;

  /**
   * Customers of {@code port} on 127.0.0.1. Idle connections are dropped after 5 s, before the
   * proxy's own keep-alive timeout (10 s) can close one under a request.
   */
  WidgetRestCustomers(Vertx vertx, int port) {
    this.http = WebClient.create(vertx, new WebClientOptions().setKeepAliveTimeout(5));
    this.port = port;
  }

  Chat requestChat(String nickname) throws Exception {
    JsonObject answer = attempt(SERVICE, Map.of("nickname", nickname));
    if (answer == null || answer.getInteger("statusCode") != 0) {
      throw new AssertionError("requestChat failed: " + answer);
    }
    return new Chat(answer);
  }

  /** Sends until acknowledged; the acknowledged message's index. */
  long send(Chat c, String messageId, String text) throws Exception {
    JsonObject b = call(c, "send", Map.of("message", text, "messageId", messageId));
    return b.getJsonArray("messages").getJsonObject(0).getLong("index");
  }

  /** The messages after the chat's next position (which moves on). */
  JsonArray refresh(Chat c) throws Exception {
    JsonObject b = call(c, "refresh", Map.of("transcriptPosition", Long.toString(c.next)));
    c.next = b.getLong("nextPosition", c.next);
    return b.getJsonArray("messages", new JsonArray());
  }

  /** The whole transcript, every page of it (docs/gms-api.md "Pages"). */
  JsonArray transcript(Chat c) throws Exception {
    return GmsCustomers.allPages(
            position -> call(c, "refresh", Map.of("transcriptPosition", Long.toString(position))))
        .getJsonArray("messages");
  }

  /** One operation of a chat, retried as the widget retries; the statusCode 0 answer. */
  JsonObject call(Chat c, String op, Map<String, String> params) throws Exception {
    String path = SERVICE + "/" + c.chatId + "/" + op;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(DEADLINE_SECONDS);
    while (true) {
      Map<String, String> all = new HashMap<>(params);
      all.put("userId", c.userId);
      all.put("secureKey", c.secureKey);
      all.put("alias", c.alias);
      JsonObject b = attempt(path, all);
      if (b != null && b.getInteger("statusCode") == 0) {
        c.alias = b.getString("alias", c.alias);
        return b;
      }
      if (b != null && b.getInteger("statusCode") == 2) {
        throw new AssertionError(op + " of " + c.chatId + " refused: " + b);
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError(op + " of " + c.chatId + " never succeeded; last: " + b);
      }
      // The widget's pause between retries (retryMin..retryMax), shortened; not synchronisation.
      TimeUnit.MILLISECONDS.sleep(100 + ThreadLocalRandom.current().nextInt(300));
    }
  }

  /** One POST; its GMS answer, or null (recorded as a failure) when there was none. */
  private JsonObject attempt(String path, Map<String, String> params) throws Exception {
    attempts.incrementAndGet();
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    params.forEach(form::add);
    try {
      HttpResponse<Buffer> r =
          await(
              http.post(port, "127.0.0.1", path).timeout(ATTEMPT_TIMEOUT_MS).sendForm(form),
              Duration.ofMillis(ATTEMPT_TIMEOUT_MS + 5000));
      JsonObject b = r.bodyAsJsonObject();
      boolean gms = b != null && b.getValue("statusCode") instanceof Integer;
      if (r.statusCode() != 200 || !gms || b.getInteger("statusCode") != 0) {
        failures.add(new Failure(System.nanoTime(), path, r.statusCode() + " " + b));
      }
      return gms ? b : null;
    } catch (Exception e) {
      failures.add(new Failure(System.nanoTime(), path, e.toString()));
      return null;
    }
  }
}
