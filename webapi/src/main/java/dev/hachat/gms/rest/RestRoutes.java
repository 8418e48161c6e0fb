package dev.hachat.gms.rest;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.ClientAddress;
import dev.hachat.gms.api.ChatService;
import dev.hachat.gms.api.Operation;
import dev.hachat.gms.service.GmsErrors;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /genesys/2/chat/{serviceName}} and {@code POST
 * /genesys/2/chat/{serviceName}/{chatId}/ {operation}} (docs/gms-api.md). Parameters come
 * form-encoded ({@code userData[key]=value}) as GMS widgets send them, or as one JSON object. Every
 * answer is a GMS response; its HTTP status is 200 on success and the error's status otherwise
 * (400, 403, 404, 410, 413, 503).
 */
public final class RestRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(RestRoutes.class);
  private static final String BASE = "/genesys/2/chat";
  private static final Pattern DATA_KEY = Pattern.compile("userData\\[(.+)]");

  private final ChatService service;
  private final int maxBodySize;
  private final java.util.Set<String> trustedProxies;

  public RestRoutes(
      ChatService service, int maxBodySize, java.util.Collection<String> trustedProxies) {
    this.service = service;
    this.maxBodySize = maxBodySize;
    this.trustedProxies = java.util.Set.copyOf(trustedProxies);
  }

  public void mount(Router router) {
    router.post(BASE + "/*").handler(BodyHandler.create(false).setBodyLimit(maxBodySize));
    router
        .post(BASE + "/:serviceName")
        .handler(
            ctx ->
                reply(
                    ctx,
                    service.requestChat(
                        ctx.pathParam("serviceName"), clientAddress(ctx), params(ctx))));
    router
        .post(BASE + "/:serviceName/:chatId/:operation")
        .handler(
            ctx -> {
              Operation op =
                  Operation.fromRest(ctx.pathParam("operation"))
                      .orElseThrow(
                          () ->
                              new ChatException(
                                  ErrorCode.NOT_FOUND,
                                  "no operation '" + ctx.pathParam("operation") + "'"));
              reply(
                  ctx,
                  service.perform(
                      ctx.pathParam("serviceName"), ctx.pathParam("chatId"), op, params(ctx)));
            });
    router.route(BASE + "/*").failureHandler(RestRoutes::failure);
  }

  private String clientAddress(RoutingContext ctx) {
    String peer =
        ctx.request().remoteAddress() == null ? null : ctx.request().remoteAddress().hostAddress();
    return ClientAddress.of(
        peer, ctx.request().headers().getAll(ClientAddress.FORWARDED_FOR), trustedProxies);
  }

  /** The request's parameters as one object; {@code userData[k]=v} become {@code userData.k}. */
  static JsonObject params(RoutingContext ctx) {
    if (ctx.queryParams().contains("secureKey")) {
      // A URL ends up in logs, proxies and browser history; the key must not.
      throw ChatException.badRequest(
          "secureKey must be sent in the request body, never in the URL");
    }
    String type = ctx.request().getHeader("content-type");
    if (type != null && type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
      try {
        JsonObject json = ctx.body().asJsonObject();
        return json == null ? new JsonObject() : json;
      } catch (DecodeException | ClassCastException e) {
        throw ChatException.badRequest("the body is not a JSON object");
      }
    }
    JsonObject out = new JsonObject();
    JsonObject data = new JsonObject();
    add(ctx.request().params(), out, data); // query string
    add(ctx.request().formAttributes(), out, data);
    if (!data.isEmpty()) {
      out.put("userData", data);
    }
    return out;
  }

  private static void add(MultiMap values, JsonObject out, JsonObject data) {
    for (Map.Entry<String, String> e : values) {
      Matcher m = DATA_KEY.matcher(e.getKey());
      if (m.matches()) {
        data.put(m.group(1), e.getValue());
      } else {
        out.put(e.getKey(), e.getValue());
      }
    }
  }

  private static void reply(RoutingContext ctx, Future<JsonObject> result) {
    result.onComplete(
        ar -> {
          JsonObject body = ar.succeeded() ? ar.result() : GmsErrors.response(ar.cause());
          send(ctx, body);
        });
  }

  private static void send(RoutingContext ctx, JsonObject body) {
    if (ctx.response().ended()) {
      return;
    }
    ctx.response()
        .setStatusCode(GmsErrors.httpStatus(body))
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end(body.encode());
  }

  /**
   * Every failure before or outside a service call becomes a GMS error: a body over {@code
   * max-body-size} or with too many form fields is 413 REQUEST_TOO_LARGE; a request from an origin
   * CORS does not allow is 403 FORBIDDEN; a body that does not decode (bad percent-encoding, broken
   * multipart) or any other client error is 400 BAD_REQUEST (logged at DEBUG only: clients cause
   * these); anything else is INTERNAL, logged once with its stack.
   */
  private static void failure(RoutingContext ctx) {
    Throwable f = ctx.failure();
    if (f instanceof ChatException) {
      send(ctx, GmsErrors.response(f));
      return;
    }
    int status = f instanceof HttpException he ? he.getStatusCode() : ctx.statusCode();
    ChatException answer;
    if (status == 413) {
      answer =
          new ChatException(
              ErrorCode.REQUEST_TOO_LARGE, "the request body is too large or has too many fields");
    } else if (status == 403) {
      answer =
          new ChatException(ErrorCode.FORBIDDEN, "this page's origin may not call the API (CORS)");
    } else if (status >= 400 && status < 500 || isDecodeFailure(f)) {
      LOG.debug("bad request body on {}: {}", ctx.normalizedPath(), String.valueOf(f));
      answer = ChatException.badRequest("the request body is not valid form or JSON encoding");
    } else {
      LOG.error("unexpected failure on {}", ctx.normalizedPath(), f);
      answer = new ChatException(ErrorCode.INTERNAL, "internal error");
    }
    send(ctx, GmsErrors.response(answer));
  }

  private static boolean isDecodeFailure(Throwable f) {
    return f instanceof DecodeException
        || f instanceof HttpPostRequestDecoder.ErrorDataDecoderException
        || f instanceof IllegalArgumentException;
  }
}
