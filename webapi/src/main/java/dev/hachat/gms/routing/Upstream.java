package dev.hachat.gms.routing;

import dev.hachat.common.config.ClientTls;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.ClientAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * One JSON call to an instance's webapi port (docs/webapi-port.md). The Future succeeds with an
 * {@link Outcome}: the instance's answer (success or typed error) or the fact that it could not be
 * reached; it never fails. Every call carries this server's peer token when it has one (an instance
 * with security on creates chats only for peers), and a new chat the customer's address in {@code
 * X-Forwarded-For} (the instance's own per-address limit counts it).
 */
final class Upstream {
  private final WebClient http;
  private final int timeoutMillis;
  private final java.util.function.Supplier<String> authorization;

  Upstream(
      Vertx vertx,
      int timeoutMillis,
      String localAddress,
      java.util.function.Supplier<String> authorization,
      ClientTls tls) {
    this.timeoutMillis = timeoutMillis;
    this.authorization = authorization;
    this.http =
        WebClient.create(
            vertx,
            tls.apply(
                new WebClientOptions()
                    .setConnectTimeout(timeoutMillis)
                    .setLocalAddress(localAddress)
                    .setKeepAlive(true)
                    .setUserAgent("hachat-webapi")),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64));
  }

  /** What came of one call. */
  sealed interface Outcome permits Answer, Refused, Unreachable {}

  /** A 2xx answer with its JSON body. */
  record Answer(JsonObject body) implements Outcome {}

  /** The instance answered with a typed error. */
  record Refused(ChatException error) implements Outcome {}

  /** Connection refused, reset or timed out: the instance may be dead. */
  record Unreachable(Throwable cause) implements Outcome {}

  Future<Outcome> post(String hostPort, String path, JsonObject body) {
    return post(hostPort, path, body, null);
  }

  /**
   * As above, naming the customer's address ({@code clientAddress}, may be null) to the instance.
   */
  Future<Outcome> post(String hostPort, String path, JsonObject body, String clientAddress) {
    int colon = hostPort.lastIndexOf(':');
    String host = hostPort.substring(0, colon);
    int port = Integer.parseInt(hostPort.substring(colon + 1));
    io.vertx.ext.web.client.HttpRequest<Buffer> req =
        http.post(port, host, path).timeout(timeoutMillis);
    String auth = authorization.get();
    if (auth != null) {
      req.putHeader("Authorization", auth);
    }
    if (clientAddress != null) {
      req.putHeader(ClientAddress.FORWARDED_FOR, clientAddress);
    }
    return req.sendJsonObject(body).map(Upstream::outcome).otherwise(Unreachable::new);
  }

  private static Outcome outcome(HttpResponse<Buffer> r) {
    JsonObject json;
    try {
      json = r.body() == null ? new JsonObject() : r.bodyAsJsonObject();
    } catch (DecodeException e) {
      json = null;
    }
    if (r.statusCode() / 100 == 2 && json != null) {
      return new Answer(json);
    }
    JsonObject err = json == null ? null : json.getJsonObject("error");
    if (err == null) {
      return new Unreachable(
          new IllegalStateException("unexpected answer " + r.statusCode() + " from the instance"));
    }
    return new Refused(
        new ChatException(
            ErrorCode.fromWire(err.getString("code")),
            err.getString("message", ""),
            err.getJsonObject("details")));
  }

  void close() {
    http.close();
  }
}
