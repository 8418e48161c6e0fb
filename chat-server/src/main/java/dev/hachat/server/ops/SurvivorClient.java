package dev.hachat.server.ops;

import dev.hachat.common.config.ClientTls;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Asks another instance, on its admin port, to adopt chats this one handed over ({@code POST
 * /admin/adopt}): it claims them at once, so they are live there before their clients come back.
 * Best effort: a chat that is not adopted is claimed by whichever instance its next request
 * reaches. Each call carries this instance's peer token ({@code Authorization}) when it has one.
 * Rooms use {@link #post} for their own peer calls (docs/rooms.md). Thread-safe.
 */
public final class SurvivorClient {
  private final HttpClient http;
  private final long timeoutMs;
  private final java.util.function.Supplier<String> authorization;

  /**
   * @param authorization the {@code Authorization} header of each call (a peer token), or a
   *     supplier of null in open mode
   */
  public SurvivorClient(
      Vertx vertx,
      long timeoutMs,
      java.util.function.Supplier<String> authorization,
      ClientTls tls) {
    this.http = vertx.createHttpClient(tls.apply(new HttpClientOptions().setKeepAlive(true)));
    this.timeoutMs = timeoutMs;
    this.authorization = authorization;
  }

  /** Completes with the survivor's answer ({@code adopted}, {@code failed}), or fails. */
  Future<JsonObject> adopt(String adminAddress, java.util.List<String> chatIds) {
    return post(
        adminAddress,
        "/admin/adopt",
        new JsonObject().put("chatIds", new JsonArray(new java.util.ArrayList<>(chatIds))));
  }

  /**
   * {@code POST uri} with a JSON body on the admin port at {@code adminAddress} ({@code
   * host:port}): the answer's JSON body when it is 200, else {@code {status, error}}; fails when
   * the instance cannot be reached.
   */
  public Future<JsonObject> post(String adminAddress, String uri, JsonObject json) {
    int colon = adminAddress.lastIndexOf(':');
    RequestOptions req =
        new RequestOptions()
            .setMethod(HttpMethod.POST)
            .setHost(adminAddress.substring(0, colon))
            .setPort(Integer.parseInt(adminAddress.substring(colon + 1)))
            .setURI(uri)
            .setIdleTimeout(timeoutMs)
            .putHeader("content-type", "application/json");
    String auth = authorization.get();
    if (auth != null) {
      req.putHeader("Authorization", auth);
    }
    Buffer body = json.toBuffer();
    return http.request(req)
        .compose(r -> r.send(body))
        .compose(
            resp ->
                resp.body()
                    .map(
                        b ->
                            resp.statusCode() == 200
                                ? b.toJsonObject()
                                : new JsonObject()
                                    .put("status", resp.statusCode())
                                    .put("error", b.toString())));
  }

  public Future<Void> close() {
    return http.close();
  }
}
