package dev.hachat.esp.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Proxy;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@link FailoverRooms} following a room that moved, against a scripted host (no sockets): every
 * entry reaches the handler once and in order, whatever the page size of the re-entry and however
 * live entries and the re-entry's answer interleave.
 */
class FailoverRoomsTest {
  /** The answers the host gives, in order; each room request takes the next one. */
  private final Deque<Promise<JsonObject>> answers = new ArrayDeque<>();

  private final List<JsonObject> requests = new ArrayList<>();

  private final EspClient host =
      (EspClient)
          Proxy.newProxyInstance(
              EspClient.class.getClassLoader(),
              new Class<?>[] {EspClient.class},
              (proxy, method, args) -> {
                if (!method.getName().equals("request")) {
                  throw new UnsupportedOperationException(method.getName());
                }
                requests.add(((JsonObject) args[1]).copy().put("op", args[0]));
                Promise<JsonObject> p = Promise.promise();
                answers.add(p);
                return p.future();
              });

  private final FailoverRooms rooms =
      new FailoverRooms(
          new FailoverRooms.Transport() {
            @Override
            public Future<JsonObject> call(
                String target, BiFunction<EspClient, String, Future<JsonObject>> op) {
              return op.apply(host, "127.0.0.1:1");
            }

            @Override
            public String first() {
              return "127.0.0.1:1";
            }

            @Override
            public Future<Void> pause() {
              return Future.succeededFuture();
            }
          });

  private static JsonObject page(boolean more, long nextPosition, long... indexes) {
    JsonArray entries = new JsonArray();
    for (long i : indexes) {
      entries.add(new JsonObject().put("index", i).put("text", "m" + i));
    }
    return new JsonObject()
        .put("room", new JsonObject().put("roomId", "r"))
        .put("entries", entries)
        .put("nextPosition", nextPosition)
        .put("more", more);
  }

  private static JsonObject live(long index) {
    return new JsonObject()
        .put("type", "event")
        .put("event", "roomEntry")
        .put("roomId", "r")
        .put("entry", new JsonObject().put("index", index));
  }

  @Test
  void a_moved_room_delivers_every_missed_and_live_entry_once_in_order() {
    List<Long> seen = new ArrayList<>();
    rooms.onEvent(
        f -> {
          if ("roomEntry".equals(f.getString("event"))) {
            seen.add(f.getJsonObject("entry").getLong("index"));
          }
        });
    rooms.request("r", "roomEnter", new JsonObject().put("roomId", "r").put("after", 0));
    answers.poll().complete(page(false, 3, 1, 2));
    rooms.event("127.0.0.1:1", live(3));

    rooms.event(
        "127.0.0.1:1",
        new JsonObject().put("type", "event").put("event", "roomMoved").put("roomId", "r"));
    assertThat(requests.get(1).getLong("after")).isEqualTo(3);
    rooms.event("127.0.0.1:2", live(7)); // live, before the re-entry's answer
    answers.poll().complete(page(true, 6, 4, 5)); // a page: more to come
    assertThat(requests.get(2).getLong("after")).as("the next page").isEqualTo(5);
    rooms.event("127.0.0.1:2", live(8));
    answers.poll().complete(page(false, 7, 6));
    rooms.event("127.0.0.1:2", live(7)); // pushed again: delivered already

    assertThat(seen).containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
  }

  @Test
  void entering_an_empty_room_after_a_position_does_not_start_again_at_one() {
    List<Long> seen = new ArrayList<>();
    rooms.onEvent(f -> seen.add(f.getJsonObject("entry").getLong("index", -1L)));
    rooms.request("r", "roomEnter", new JsonObject().put("roomId", "r").put("after", 40));
    answers.poll().complete(page(false, 41));
    rooms.lost("127.0.0.1:1");
    assertThat(requests.get(1).getLong("after")).as("re-entered from 40, not 0").isEqualTo(40);
  }
}
