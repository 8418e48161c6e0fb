package dev.hachat.esp.client;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;

/**
 * The rooms of a {@link FailoverEspClient} (docs/rooms.md): every room operation goes to the room's
 * last known host and follows it there by the client's failover rules ({@code NOT_OWNER} to the
 * named host, another instance after a pause otherwise). The rooms entered stay entered: after a
 * {@code roomMoved} event or the loss of the host's connection the room is entered again on its new
 * host from the last index seen, and the entries missed meanwhile are delivered as {@code
 * roomEntry} events, so a follower sees each entry once, in order. Thread-safe.
 */
public final class FailoverRooms {
  /** What the rooms need of their client. */
  interface Transport {
    /** Runs {@code op} at {@code target}, then wherever the failover rules send it. */
    Future<JsonObject> call(String target, BiFunction<EspClient, String, Future<JsonObject>> op);

    String first();

    Future<Void> pause();
  }

  private final Transport transport;
  private final Map<String, String> hostOf = new ConcurrentHashMap<>();
  private final Map<String, Long> entered = new ConcurrentHashMap<>(); // room -> last index seen

  /** Live roomEntry events of rooms being entered again, held until the missed page is out. */
  private final Map<String, java.util.List<JsonObject>> held = new ConcurrentHashMap<>();

  private volatile Consumer<JsonObject> onEvent = f -> {};

  FailoverRooms(Transport transport) {
    this.transport = transport;
  }

  /** Room events ({@code roomEntry}, {@code roomPresence}, {@code roomMoved}), whole frames. */
  public FailoverRooms onEvent(Consumer<JsonObject> handler) {
    this.onEvent = handler;
    return this;
  }

  /**
   * Sends a room operation ({@code roomId} null: one that names no room, {@code roomCreate} or
   * {@code roomList}) and completes with its result.
   */
  public Future<JsonObject> request(String roomId, String op, JsonObject params) {
    String target =
        roomId == null ? transport.first() : hostOf.getOrDefault(roomId, transport.first());
    return transport.call(
        target,
        (client, at) ->
            client.request(op, params).onSuccess(result -> answered(roomId, op, at, result)));
  }

  /** The ESP address a room was last served from, or null. */
  public String hostOf(String roomId) {
    return hostOf.get(roomId);
  }

  private void answered(String roomId, String op, String at, JsonObject result) {
    String created =
        result.getJsonObject("room") != null
            ? result.getJsonObject("room").getString("roomId")
            : null;
    String id = roomId != null ? roomId : created;
    if (id != null) {
      hostOf.put(id, at);
    }
    if ("roomEnter".equals(op) && id != null) {
      // The page ends where the answer says the next one starts (an empty page: at "after").
      long seen =
          Math.max(last(result.getJsonArray("entries")), result.getLong("nextPosition", 1L) - 1);
      entered.merge(id, seen, Math::max);
    } else if (("roomExit".equals(op) || "roomLeave".equals(op)) && id != null) {
      entered.remove(id);
    }
  }

  /** An event from the connection to {@code endpoint}. */
  void event(String endpoint, JsonObject f) {
    String roomId = f.getString("roomId");
    String kind = f.getString("event", "");
    if ("roomEntry".equals(kind) && roomId != null) {
      java.util.List<JsonObject> wait = held.get(roomId);
      if (wait != null) {
        synchronized (wait) {
          if (held.get(roomId) == wait) {
            wait.add(f); // after the missed page a re-entry is fetching, in order
            return;
          }
        }
      }
      deliver(f);
      return;
    }
    onEvent.accept(f);
    if ("roomMoved".equals(kind) && roomId != null) {
      hostOf.remove(roomId, endpoint);
      String to = f.getString("esp");
      if (to != null) {
        hostOf.put(roomId, to);
      }
      reenter(roomId);
    }
  }

  /** The connection to {@code endpoint} is gone: its rooms are entered again elsewhere. */
  void lost(String endpoint) {
    hostOf.forEach(
        (roomId, host) -> {
          if (host.equals(endpoint) && hostOf.remove(roomId, endpoint)) {
            reenter(roomId);
          }
        });
  }

  /**
   * Enters the room again after the last index seen; live entries arriving meanwhile wait until the
   * missed ones are delivered, and a missed stretch longer than a page is fetched page by page.
   */
  private void reenter(String roomId) {
    Long after = entered.get(roomId);
    if (after == null) {
      return;
    }
    held.putIfAbsent(roomId, new java.util.ArrayList<>());
    transport
        .pause()
        .compose(
            v ->
                request(
                    roomId,
                    "roomEnter",
                    new JsonObject().put("roomId", roomId).put("after", after)))
        .onComplete(
            ar -> {
              if (ar.succeeded()) {
                // The answer moved the last index seen to the page's end already (answered).
                for (Object e : ar.result().getJsonArray("entries")) {
                  if (((JsonObject) e).getLong("index", 0L) > after) {
                    onEvent.accept(
                        new JsonObject()
                            .put("type", "event")
                            .put("event", "roomEntry")
                            .put("roomId", roomId)
                            .put("entry", e));
                  }
                }
                if (ar.result().getBoolean("more", false)) {
                  reenter(roomId); // the live entries keep waiting
                  return;
                }
              }
              java.util.List<JsonObject> wait = held.get(roomId);
              if (wait != null) {
                synchronized (wait) {
                  held.remove(roomId);
                  wait.forEach(this::deliver);
                }
              }
            });
  }

  /**
   * A roomEntry event to the handler unless delivered already (an entry of the page a re-entry
   * brought); the last index seen moves on.
   */
  private void deliver(JsonObject f) {
    String roomId = f.getString("roomId");
    long index = f.getJsonObject("entry").getLong("index", 0L);
    Long seen = entered.get(roomId);
    if (seen != null && index <= seen) {
      return;
    }
    entered.computeIfPresent(roomId, (k, v) -> Math.max(v, index));
    onEvent.accept(f);
  }

  private static long last(JsonArray entries) {
    if (entries == null || entries.isEmpty()) {
      return 0;
    }
    return entries.getJsonObject(entries.size() - 1).getLong("index", 0L);
  }
}
