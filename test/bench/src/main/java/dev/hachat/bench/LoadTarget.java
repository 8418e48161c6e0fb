package dev.hachat.bench;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;

/**
 * Where the load benchmark's customers send: straight to an instance's webapi port (JSON), or
 * through a web API server's GMS Chat API v2 REST endpoints (form-encoded, as widgets send them).
 */
interface LoadTarget {
  /** A customer's credentials as the target answered them; {@code chatId} is always set. */
  Future<JsonObject> requestChat(String nickname);

  /** Sends one message; succeeds only when it was acknowledged (saved). */
  Future<Void> send(JsonObject customer, String messageId, String text);

  /** The chat-server instance's own webapi port ({@code /v1/chats}). */
  static LoadTarget instance(WebClient http, int port) {
    return new LoadTarget() {
      @Override
      public Future<JsonObject> requestChat(String nickname) {
        return http.post(port, "127.0.0.1", "/v1/chats")
            .sendJsonObject(new JsonObject().put("nickname", nickname))
            .map(r -> r.bodyAsJsonObject());
      }

      @Override
      public Future<Void> send(JsonObject c, String messageId, String text) {
        return http.post(port, "127.0.0.1", "/v1/chats/" + c.getString("chatId") + "/send")
            .sendJsonObject(
                new JsonObject()
                    .put("participantId", c.getString("participantId"))
                    .put("secureKey", c.getString("secureKey"))
                    .put("clientMessageId", messageId)
                    .put("text", text))
            .compose(
                r -> r.statusCode() == 200 ? Future.succeededFuture() : failed(r.bodyAsString()));
      }
    };
  }

  /** A web API server's GMS REST API, service {@code customer-support}. */
  static LoadTarget gms(WebClient http, int port) {
    String service = "/genesys/2/chat/customer-support";
    return new LoadTarget() {
      @Override
      public Future<JsonObject> requestChat(String nickname) {
        MultiMap form = MultiMap.caseInsensitiveMultiMap().add("nickname", nickname);
        return http.post(port, "127.0.0.1", service)
            .sendForm(form)
            .compose(r -> ok(r.bodyAsJsonObject()));
      }

      @Override
      public Future<Void> send(JsonObject c, String messageId, String text) {
        MultiMap form =
            MultiMap.caseInsensitiveMultiMap()
                .add("userId", c.getString("userId"))
                .add("secureKey", c.getString("secureKey"))
                .add("alias", c.getString("alias"))
                .add("messageId", messageId)
                .add("message", text);
        return http.post(port, "127.0.0.1", service + "/" + c.getString("chatId") + "/send")
            .sendForm(form)
            .compose(r -> ok(r.bodyAsJsonObject()))
            .mapEmpty();
      }
    };
  }

  private static Future<JsonObject> ok(JsonObject body) {
    return body != null && body.getInteger("statusCode", -1) == 0
        ? Future.succeededFuture(body)
        : failed(String.valueOf(body));
  }

  private static <T> Future<T> failed(String why) {
    return Future.failedFuture(new IllegalStateException("not acknowledged: " + why));
  }
}
