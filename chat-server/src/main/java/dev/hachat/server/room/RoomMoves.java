package dev.hachat.server.room;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.server.ops.SurvivorClient;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.Rendezvous;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rooms moving between instances on purpose (docs/rooms.md, "Moves"):
 *
 * <ul>
 *   <li>{@link #handOver}: the room stops taking entries and waits for its last write, its epoch is
 *       released in the store, the target is asked to adopt it ({@code POST /admin/rooms/adopt}),
 *       then the present members are told where it went ({@code roomMoved});
 *   <li>{@link #handOverAll}: every room, each to its heir among the other living instances (the
 *       clean shutdown);
 *   <li>{@link #rebalance}: from the busiest living host to the idlest, one hand-over at a time,
 *       while they differ by more than {@code rooms.rebalance.threshold}; a move off another
 *       instance is asked of that instance ({@code POST /admin/rooms/hand-over}).
 * </ul>
 *
 * A release whose answer was lost may have applied, so once it was sent the room is fenced here
 * whatever the answer. Threading: rebalancing runs on its own context, one step at a time; a
 * hand-over runs on the room's context and the store's answers; thread-safe.
 */
public final class RoomMoves {
  private static final Logger LOG = LoggerFactory.getLogger(RoomMoves.class);

  private final RoomHost host;
  private final SurvivorClient peers;
  private final long handOverTimeoutMs;
  private final OwnContext context;
  private long autoTimer = -1;
  private boolean rebalancing;

  /**
   * @param peers admin calls to the other instances, with this instance's peer token
   * @param handOverTimeoutMs how long one hand-over may wait for the room's last write
   */
  public RoomMoves(RoomHost host, SurvivorClient peers, long handOverTimeoutMs) {
    this.host = host;
    this.peers = peers;
    this.handOverTimeoutMs = handOverTimeoutMs;
    this.context = OwnContext.create(host.setup().vertx());
  }

  /** Starts automatic rebalancing when {@code rooms.rebalance.auto}: one move per interval. */
  public void start() {
    var o = host.setup().options().getRebalance();
    if (o.isAuto()) {
      context.run(() -> autoTimer = context.setPeriodic(o.getInterval(), t -> rebalance(1)));
    }
  }

  public void stop() {
    context.run(
        () -> {
          if (autoTimer >= 0) {
            context.cancelTimer(autoTimer);
          }
        });
  }

  /** Hands one room to {@code target}; completes with whether it left this instance. */
  public Future<Boolean> handOver(Room room, String target) {
    RoomSetup s = host.setup();
    return room.beginHandOver(handOverTimeoutMs)
        .transform(
            ar -> {
              if (ar.failed()) {
                room.cancelHandOver();
                LOG.warn("{} not handed over: its last write did not complete", room);
                return Future.succeededFuture(false);
              }
              long epoch = ar.result();
              if (epoch < 0) {
                return Future.succeededFuture(false);
              }
              host.movedAway(room.id(), target);
              return s.store()
                  .release(room.id(), epoch)
                  .timeout(handOverTimeoutMs, TimeUnit.MILLISECONDS)
                  .transform(
                      rel -> {
                        if (rel.failed()
                            && StoreException.is(rel.cause(), StoreErrorKind.CONFLICT)) {
                          room.fence(null, null); // somebody else had taken it already
                          return Future.succeededFuture(false);
                        }
                        Optional<InstanceRecord> to =
                            target == null ? Optional.empty() : host.membership().record(target);
                        Future<JsonObject> adopted =
                            rel.succeeded() && to.isPresent()
                                ? peers
                                    .post(
                                        to.get().admin(),
                                        "/admin/rooms/adopt",
                                        new JsonObject()
                                            .put("roomIds", new JsonArray().add(room.id())))
                                    .recover(e -> Future.succeededFuture(new JsonObject()))
                                : Future.succeededFuture(new JsonObject());
                        return adopted.map(
                            a -> {
                              room.fence(target, to.map(InstanceRecord::esp).orElse(null));
                              s.kpi().moved();
                              LOG.info("{} handed over to {}", room, target);
                              return true;
                            });
                      });
            });
  }

  /** The clean shutdown: every room to its heir among the other living instances. */
  public Future<JsonObject> handOverAll() {
    List<Room> all = host.hosted();
    Future<Integer> chain = Future.succeededFuture(0);
    for (Room r : all) {
      chain = chain.compose(n -> handOver(r, heir(r.id())).map(ok -> ok ? n + 1 : n).otherwise(n));
    }
    return chain.map(n -> new JsonObject().put("rooms", all.size()).put("handedOver", n));
  }

  /** Claims the rooms another instance handed here ({@code POST /admin/rooms/adopt}). */
  public Future<JsonObject> adopt(List<String> roomIds) {
    JsonArray adopted = new JsonArray();
    JsonArray failed = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (String id : roomIds) {
      chain =
          chain.compose(
              v ->
                  host.find(id)
                      .map(r -> adopted.add(id))
                      .otherwise(e -> failed.add(id))
                      .mapEmpty());
    }
    return chain.map(v -> new JsonObject().put("adopted", adopted).put("failed", failed));
  }

  /**
   * Hands up to {@code count} rooms of this instance to {@code target}, one at a time ({@code POST
   * /admin/rooms/hand-over}, asked by the instance that rebalances).
   */
  public Future<JsonObject> handOverSome(String target, int count) {
    List<Room> mine = host.hosted().stream().filter(Room::isLive).limit(count).toList();
    JsonArray moved = new JsonArray();
    Future<Void> chain = Future.succeededFuture();
    for (Room r : mine) {
      chain =
          chain.compose(
              v -> handOver(r, target).map(ok -> ok ? moved.add(r.id()) : moved).mapEmpty());
    }
    return chain.map(v -> new JsonObject().put("moved", moved));
  }

  /** Rooms per living instance (0 for those with none), by instance id. */
  public Future<Map<String, Integer>> placement() {
    return host.setup()
        .store()
        .roomsPerHost()
        .map(
            counts -> {
              Map<String, Integer> out = new TreeMap<>();
              for (InstanceRecord r : host.membership().alive()) {
                out.put(r.instanceId(), counts.getOrDefault(r.instanceId(), 0));
              }
              return out;
            })
        .recover(e -> Future.failedFuture(RoomHost.typed(e)));
  }

  /**
   * Moves rooms from the busiest living host to the idlest, one at a time, at most {@code
   * maxMoves}; completes with the moves made and the placement after them. One rebalance at a time
   * per instance.
   */
  public Future<JsonObject> rebalance(int maxMoves) {
    return context.call(
        () -> {
          if (rebalancing) {
            return Future.succeededFuture(new JsonObject().put("moves", 0).put("busy", true));
          }
          rebalancing = true;
          return context
              .back(step(maxMoves, new JsonArray()))
              .eventually(
                  () -> {
                    rebalancing = false;
                    return Future.succeededFuture();
                  });
        });
  }

  private Future<JsonObject> step(int left, JsonArray moves) {
    return placement()
        .compose(
            p -> {
              String busiest = null;
              String idlest = null;
              for (Map.Entry<String, Integer> e : p.entrySet()) {
                if (busiest == null || e.getValue() > p.get(busiest)) {
                  busiest = e.getKey();
                }
                if (idlest == null || e.getValue() < p.get(idlest)) {
                  idlest = e.getKey();
                }
              }
              int threshold = host.setup().options().getRebalance().getThreshold();
              if (left <= 0 || busiest == null || p.get(busiest) - p.get(idlest) <= threshold) {
                return Future.succeededFuture(
                    new JsonObject()
                        .put("moves", moves.size())
                        .put("log", moves)
                        .put("placement", JsonObject.mapFrom(p)));
              }
              String from = busiest;
              String to = idlest;
              return moveOne(from, to)
                  .compose(
                      moved -> {
                        if (moved.isEmpty()) {
                          return Future.succeededFuture(
                              new JsonObject()
                                  .put("moves", moves.size())
                                  .put("log", moves)
                                  .put("placement", JsonObject.mapFrom(p))
                                  .put("stalled", from + " -> " + to));
                        }
                        moves.add(
                            new JsonObject()
                                .put("roomId", moved.get(0))
                                .put("from", from)
                                .put("to", to));
                        return step(left - 1, moves);
                      });
            });
  }

  /** One room from {@code from} to {@code to}: the ids moved (empty if none could be). */
  private Future<List<String>> moveOne(String from, String to) {
    if (from.equals(host.instanceId())) {
      return handOverSome(to, 1).map(RoomMoves::ids);
    }
    Optional<InstanceRecord> r = host.membership().record(from);
    if (r.isEmpty()) {
      return Future.succeededFuture(List.of());
    }
    return peers
        .post(
            r.get().admin(),
            "/admin/rooms/hand-over",
            new JsonObject().put("to", to).put("count", 1))
        .map(RoomMoves::ids)
        .otherwise(List.of());
  }

  private static List<String> ids(JsonObject answer) {
    List<String> out = new ArrayList<>();
    JsonArray moved = answer.getJsonArray("moved");
    if (moved != null) {
      moved.forEach(v -> out.add(String.valueOf(v)));
    }
    return out;
  }

  private String heir(String roomId) {
    String self = host.instanceId();
    return Rendezvous.pick(
            roomId,
            host.membership().alive().stream().filter(r -> !r.instanceId().equals(self)).toList(),
            InstanceRecord::instanceId)
        .map(InstanceRecord::instanceId)
        .orElse(null);
  }
}
