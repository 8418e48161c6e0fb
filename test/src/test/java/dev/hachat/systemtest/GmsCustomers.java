package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Customers as a web chat widget drives them: GMS Chat API v2 REST calls to a web API server, one
 * attempt per request (the widget sees whatever the web API server answers; nothing is retried
 * here). Counts every answer that was not statusCode 0. Blocking; one thread per customer.
 */
public final class GmsCustomers {
  static final String SERVICE = "/genesys/2/chat/customer-support";
  private static final String SERVICES = "/genesys/2/chat/";

  private final WebClient http;
  final AtomicInteger failures = new AtomicInteger();

  public GmsCustomers(Vertx vertx) {
    this(WebClient.create(vertx));
  }

  /** Customers calling through {@code http} (e.g. one set up for TLS). */
  GmsCustomers(WebClient http) {
    this.http = http;
  }

  /** A customer's chat: credentials, its web API server, its service and the alias last heard. */
  public static final class Chat {
    public final String chatId;
    final String userId;
    final String secureKey;
    final int gmsPort;
    final String service;
    volatile String alias;

    Chat(
        String chatId, String userId, String secureKey, int gmsPort, String service, String alias) {
      this.chatId = chatId;
      this.userId = userId;
      this.secureKey = secureKey;
      this.gmsPort = gmsPort;
      this.service = service;
      this.alias = alias;
    }
  }

  Chat requestChat(int gmsPort, String nickname) throws Exception {
    return requestChat(gmsPort, "customer-support", nickname);
  }

  /** A chat of the web API server's chat service {@code serviceName}. */
  public Chat requestChat(int gmsPort, String serviceName, String nickname) throws Exception {
    String service = SERVICES + serviceName;
    JsonObject b = post(gmsPort, service, Map.of("nickname", nickname));
    return new Chat(
        b.getString("chatId"),
        b.getString("userId"),
        b.getString("secureKey"),
        gmsPort,
        service,
        b.getString("alias"));
  }

  /** Sends; returns the acknowledged message's index. */
  public long send(Chat c, String messageId, String text) throws Exception {
    JsonObject b = op(c, "send", Map.of("message", text, "messageId", messageId));
    return b.getJsonArray("messages").getJsonObject(0).getLong("index");
  }

  /** The whole transcript as the customer reads it. */
  JsonArray transcript(Chat c) throws Exception {
    return wholeTranscript(c).getJsonArray("messages");
  }

  /**
   * Every page of the transcript from position 1 (a reply holds one page, {@code more: true} while
   * entries are left; docs/gms-api.md "Pages"), as one answer: all the messages, and the last
   * page's {@code chatEnded} and {@code nextPosition}.
   */
  JsonObject wholeTranscript(Chat c) throws Exception {
    return allPages(
        position -> op(c, "refresh", Map.of("transcriptPosition", Long.toString(position))));
  }

  /** A GMS refresh from a transcript position. */
  interface PageReader {
    JsonObject read(long position) throws Exception;
  }

  /** Reads every page from position 1 into one answer (the last page's, with all messages). */
  static JsonObject allPages(PageReader reader) throws Exception {
    JsonArray all = new JsonArray();
    long position = 1;
    while (true) {
      JsonObject page = reader.read(position);
      all.addAll(page.getJsonArray("messages", new JsonArray()));
      if (!page.getBoolean("more", false)) {
        return page.put("messages", all);
      }
      position = page.getLong("nextPosition");
    }
  }

  /**
   * Reads the chat's transcript and checks it: gap-free indexes from 1, and its messages exactly
   * {@code acked} (every acknowledged message once, in order). Returns the answer (with {@code
   * chatEnded}).
   */
  JsonObject assertTranscript(Chat c, java.util.List<String> acked) throws Exception {
    JsonObject answer = wholeTranscript(c);
    JsonArray t = answer.getJsonArray("messages");
    for (int k = 0; k < t.size(); k++) {
      org.assertj.core.api.Assertions.assertThat(t.getJsonObject(k).getLong("index"))
          .as("gap-free in %s", c.chatId)
          .isEqualTo(k + 1);
    }
    java.util.List<String> messages =
        t.stream()
            .map(JsonObject.class::cast)
            .filter(m -> "Message".equals(m.getString("type")))
            .map(m -> m.getString("text"))
            .toList();
    org.assertj.core.api.Assertions.assertThat(messages)
        .as("chat %s: every acknowledged message once, in order", c.chatId)
        .containsExactlyElementsOf(acked);
    return answer;
  }

  JsonObject op(Chat c, String op, Map<String, String> params) throws Exception {
    JsonObject b =
        post(c.gmsPort, c.service + "/" + c.chatId + "/" + op, withCredentials(c, params));
    c.alias = b.getString("alias", c.alias);
    return b;
  }

  /** {@code op} on the chat, once; the answer whatever it is (not counted as a failure). */
  HttpResponse<Buffer> attemptOp(Chat c, String op, Map<String, String> params) throws Exception {
    return attempt(
        c.gmsPort, c.service + "/" + c.chatId + "/" + op, withCredentials(c, params), null);
  }

  /**
   * A request for a chat, once, as a trusted proxy in front of the web API server would pass it on
   * for the client at {@code forwardedFor}; the answer whatever it is.
   */
  HttpResponse<Buffer> attemptChat(int gmsPort, String nickname, String forwardedFor)
      throws Exception {
    return attempt(gmsPort, SERVICE, Map.of("nickname", nickname), forwardedFor);
  }

  private static Map<String, String> withCredentials(Chat c, Map<String, String> params) {
    Map<String, String> all = new java.util.HashMap<>(params);
    all.put("userId", c.userId);
    all.put("secureKey", c.secureKey);
    all.put("alias", c.alias);
    return all;
  }

  private HttpResponse<Buffer> attempt(
      int port, String path, Map<String, String> params, String forwardedFor) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    params.forEach(form::add);
    var request = http.post(port, "127.0.0.1", path).timeout(60_000);
    if (forwardedFor != null) {
      request.putHeader("X-Forwarded-For", forwardedFor);
    }
    return await(request.sendForm(form), Duration.ofSeconds(70));
  }

  private JsonObject post(int port, String path, Map<String, String> params) throws Exception {
    HttpResponse<Buffer> r = attempt(port, path, params, null);
    JsonObject b = r.bodyAsJsonObject();
    if (r.statusCode() != 200 || b.getInteger("statusCode", -1) != 0) {
      failures.incrementAndGet();
      throw new AssertionError("customer request " + path + " failed: " + r.statusCode() + " " + b);
    }
    return b;
  }
}
