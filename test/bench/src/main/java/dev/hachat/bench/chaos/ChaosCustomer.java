package dev.hachat.bench.chaos;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;

/**
 * A customer's web chat client that survives instance failures the way a widget would: it follows
 * {@code NOT_OWNER} to the owner's webapi port, and on a timeout, a refused connection or a
 * retryable error tries another instance after a random pause, resending with the same {@code
 * clientMessageId}, until an overall deadline. A non-retryable error fails the call at once.
 */
final class ChaosCustomer {
  /** A successful answer and the webapi port that gave it. */
  record Answer(JsonObject body, int port) {}

  /** A non-retryable answer: the chat is broken for this client. */
  static final class Refused extends RuntimeException {
    Refused(String message) {
      super(message, null, false, false);
    }
  }

  private static final int ATTEMPT_TIMEOUT_MS = 3000;
  private static final int MAX_REDIRECTS = 5;

  private final Vertx vertx;
  private final WebClient http;
  private final List<Integer> ports;
  final String chatId;
  private final String participantId;
  private final String secureKey;
  private volatile int at;

  private ChaosCustomer(
      Vertx vertx, WebClient http, List<Integer> ports, JsonObject created, int at) {
    this.vertx = vertx;
    this.http = http;
    this.ports = ports;
    this.chatId = created.getString("chatId");
    this.participantId = created.getString("participantId");
    this.secureKey = created.getString("secureKey");
    this.at = at;
  }

  String participantId() {
    return participantId;
  }

  /** Requests a chat, first at {@code ports[first]}, then elsewhere, until {@code deadline}. */
  static Future<ChaosCustomer> requestChat(
      Vertx vertx, WebClient http, List<Integer> ports, int first, String nickname, long deadline) {
    ChaosCustomer probe = new ChaosCustomer(vertx, http, ports, new JsonObject(), ports.get(first));
    return probe
        .call("/v1/chats", new JsonObject().put("nickname", nickname), deadline, p -> {}, 0)
        .map(a -> new ChaosCustomer(vertx, http, ports, a.body(), a.port()));
  }

  /** Sends until acknowledged; {@code onAttempt} gets the port of each try. */
  Future<Answer> send(String clientMessageId, String text, long deadline, IntConsumer onAttempt) {
    JsonObject body = credentials().put("clientMessageId", clientMessageId).put("text", text);
    return call("/v1/chats/" + chatId + "/send", body, deadline, onAttempt, 0);
  }

  /** The entries after {@code after}, from the chat's owner. */
  Future<List<Entry>> refresh(long after, long deadline) {
    return call(
            "/v1/chats/" + chatId + "/refresh",
            credentials().put("after", after),
            deadline,
            p -> {},
            0)
        .map(a -> EntryJson.fromJson(a.body().getJsonArray("entries")));
  }

  private JsonObject credentials() {
    return new JsonObject().put("participantId", participantId).put("secureKey", secureKey);
  }

  private Future<Answer> call(
      String path, JsonObject body, long deadline, IntConsumer onAttempt, int redirects) {
    if (System.nanoTime() - deadline > 0) {
      return Future.failedFuture(new IllegalStateException("no answer before the deadline"));
    }
    int port = at;
    onAttempt.accept(port);
    return http.post(port, "127.0.0.1", path)
        .timeout(ATTEMPT_TIMEOUT_MS)
        .sendJsonObject(body)
        .transform(
            ar -> {
              if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
                return Future.succeededFuture(new Answer(ar.result().bodyAsJsonObject(), port));
              }
              if (ar.succeeded()) {
                JsonObject error = errorOf(ar.result().bodyAsString());
                String code = error.getString("code", "");
                JsonObject details = error.getJsonObject("details");
                String owner = details == null ? null : details.getString("webapi");
                if (ErrorCode.NOT_OWNER.name().equals(code)
                    && owner != null
                    && redirects < MAX_REDIRECTS) {
                  int ownerPort = Integer.parseInt(owner.substring(owner.lastIndexOf(':') + 1));
                  if (ports.contains(ownerPort) && ownerPort != port) {
                    at = ownerPort;
                    return call(path, body, deadline, onAttempt, redirects + 1);
                  }
                }
                if (!retryable(ar.result().statusCode(), code)) {
                  return Future.failedFuture(
                      new Refused(ar.result().statusCode() + " " + error.encode() + " at " + port));
                }
              }
              at = another(port);
              return pause().compose(v -> call(path, body, deadline, onAttempt, 0));
            });
  }

  private static JsonObject errorOf(String body) {
    try {
      JsonObject e = body == null ? null : new JsonObject(body).getJsonObject("error");
      return e == null ? new JsonObject() : e;
    } catch (RuntimeException notJson) {
      return new JsonObject();
    }
  }

  private static boolean retryable(int status, String code) {
    if (status >= 500 || ErrorCode.NOT_OWNER.name().equals(code)) {
      return true;
    }
    try {
      return ErrorCode.valueOf(code).retryable();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private int another(int port) {
    List<Integer> others = ports.stream().filter(p -> p != port).toList();
    return others.get(ThreadLocalRandom.current().nextInt(others.size()));
  }

  private Future<Void> pause() {
    return vertx.timer(100 + ThreadLocalRandom.current().nextInt(300)).mapEmpty();
  }
}
