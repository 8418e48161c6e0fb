package dev.hachat.server.admin;

import dev.hachat.common.error.ChatException;
import dev.hachat.server.room.RoomMoves;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;

/**
 * The admin endpoints of rooms (docs/rooms.md): {@code GET /rooms} (rooms per living instance),
 * {@code POST /admin/rebalance}, and the peer calls {@code POST /admin/rooms/adopt} and {@code POST
 * /admin/rooms/hand-over}. The {@code POST}s sit behind {@link AdminAuth} (operator or peer).
 * Stateless.
 */
final class RoomRoutes {
  private final RoomMoves moves;
  private final int defaultMaxMoves;

  private RoomRoutes(RoomMoves moves, int defaultMaxMoves) {
    this.moves = moves;
    this.defaultMaxMoves = defaultMaxMoves;
  }

  /** Mounts the routes; {@code moves} null: this instance serves no rooms (404 ROOM_NOT_FOUND). */
  static void mount(Router router, RoomMoves moves, int defaultMaxMoves) {
    if (moves == null) {
      for (String p : List.of("/rooms", "/admin/rebalance", "/admin/rooms/*")) {
        router.route(p).handler(ctx -> send(ctx, 404, error("ROOM_NOT_FOUND", "no rooms here")));
      }
      return;
    }
    RoomRoutes r = new RoomRoutes(moves, defaultMaxMoves);
    router.get("/rooms").handler(r::placement);
    router.post("/admin/rebalance").handler(r::rebalance);
    router.post("/admin/rooms/adopt").handler(r::adopt);
    router.post("/admin/rooms/hand-over").handler(r::handOver);
  }

  private void placement(RoutingContext ctx) {
    answer(ctx, moves.placement().map(p -> new JsonObject().put("rooms", JsonObject.mapFrom(p))));
  }

  private void rebalance(RoutingContext ctx) {
    int max = defaultMaxMoves;
    String q = ctx.request().getParam("maxMoves");
    if (q != null) {
      try {
        max = Integer.parseInt(q);
      } catch (NumberFormatException e) {
        max = -1;
      }
      if (max < 1) {
        send(ctx, 400, error("BAD_REQUEST", "maxMoves is a whole number >= 1"));
        return;
      }
    }
    answer(ctx, moves.rebalance(max));
  }

  private void adopt(RoutingContext ctx) {
    JsonArray ids = body(ctx).getJsonArray("roomIds");
    if (ids == null || ids.isEmpty()) {
      send(ctx, 400, error("BAD_REQUEST", "body: {\"roomIds\": [\"…\"]}"));
      return;
    }
    List<String> list = new ArrayList<>();
    ids.forEach(o -> list.add(String.valueOf(o)));
    answer(ctx, moves.adopt(list));
  }

  private void handOver(RoutingContext ctx) {
    JsonObject b = body(ctx);
    Object to = b.getValue("to");
    Object count = b.getValue("count", 1);
    if (!(to instanceof String target)
        || target.isEmpty()
        || !(count instanceof Integer n)
        || n < 1) {
      send(ctx, 400, error("BAD_REQUEST", "body: {\"to\": \"instance\", \"count\": 1}"));
      return;
    }
    answer(ctx, moves.handOverSome(target, n));
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject b = ctx.body().asJsonObject();
      return b == null ? new JsonObject() : b;
    } catch (RuntimeException e) {
      return new JsonObject();
    }
  }

  private static void answer(RoutingContext ctx, Future<JsonObject> f) {
    f.onComplete(
        ar -> {
          if (ar.succeeded()) {
            send(ctx, 200, ar.result());
          } else if (ar.cause() instanceof ChatException ce) {
            send(ctx, ce.code().httpStatus(), error(ce.code().name(), ce.getMessage()));
          } else {
            send(ctx, 500, error("INTERNAL", "internal error; the instance logged it"));
          }
        });
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject()
        .put("error", new JsonObject().put("code", code).put("message", message));
  }

  private static void send(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader("content-type", "application/json")
        .end(body.encode());
  }
}
