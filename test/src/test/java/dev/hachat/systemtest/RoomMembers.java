package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Room members over ESP that follow their rooms between instances, as a desktop would: a request
 * goes to the room's last known host; {@code NOT_OWNER} sends it to the host named in its details;
 * a refused connection, a timeout or a retryable answer sends it to another living instance after a
 * random pause (100–500 ms). Each member stays present in its rooms: after a {@code roomMoved}
 * event or the loss of a connection it enters the room again on its new host, and the longest time
 * a member was out of a room is recorded. Thread-safe; blocking calls run on test threads only.
 */
final class RoomMembers implements AutoCloseable {
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private final Vertx vertx;
  private final Supplier<List<String>> seeds;
  private final Map<String, Member> members = new ConcurrentHashMap<>();
  private final ExecutorService reenter = Executors.newFixedThreadPool(8);
  final AtomicInteger retries = new AtomicInteger();
  final AtomicLong longestOutMillis = new AtomicLong();
  final AtomicInteger moves = new AtomicInteger();

  /** {@code seeds}: the ESP addresses ({@code host:port}) of the instances alive now. */
  RoomMembers(Vertx vertx, Supplier<List<String>> seeds) {
    this.vertx = vertx;
    this.seeds = seeds;
  }

  Member member(String agentId) {
    return members.computeIfAbsent(agentId, Member::new);
  }

  /** Resets the longest-out figure (a new phase begins). */
  void resetOut() {
    longestOutMillis.set(0);
  }

  @Override
  public void close() {
    reenter.shutdownNow();
    members.values().forEach(Member::close);
  }

  /** One agent: a connection per instance, the host of each of its rooms. */
  final class Member {
    final String agentId;
    private final Map<String, EspClient> conns = new ConcurrentHashMap<>();
    private final Map<String, String> hostOf = new ConcurrentHashMap<>();
    private final Map<String, Boolean> present = new ConcurrentHashMap<>();

    Member(String agentId) {
      this.agentId = agentId;
    }

    /** Sends {@code op} about {@code roomId} (null: any instance) wherever the room is. */
    JsonObject call(String roomId, String op, JsonObject params) throws Exception {
      long deadline = System.nanoTime() + DEADLINE.toNanos();
      String lastError = "";
      String redirect = null;
      while (System.nanoTime() < deadline) {
        String esp = redirect != null ? redirect : roomId == null ? null : hostOf.get(roomId);
        redirect = null;
        if (esp == null) {
          List<String> alive = seeds.get();
          esp = alive.get(ThreadLocalRandom.current().nextInt(alive.size()));
        }
        try {
          JsonObject r = await(connection(esp).request(op, params), Duration.ofSeconds(10));
          if (roomId != null) {
            hostOf.put(roomId, esp);
          }
          return r;
        } catch (ChatException e) {
          lastError = e.code() + ": " + e.getMessage();
          if (e.code() == ErrorCode.NOT_OWNER
              && e.details() != null
              && e.details().getString("esp") != null) {
            String next = e.details().getString("esp");
            if (!next.equals(esp)) {
              redirect = next; // go there at once
              continue;
            }
          } else if (!e.code().retryable()) {
            throw e;
          }
          forget(roomId, esp, e.code() == ErrorCode.INTERNAL);
        } catch (Exception e) {
          lastError = e.toString();
          forget(roomId, esp, true);
        }
        retries.incrementAndGet();
        Thread.sleep(ThreadLocalRandom.current().nextLong(100, 500)); // client jitter, not a sync
      }
      throw new AssertionError(agentId + " " + op + " " + roomId + " never answered: " + lastError);
    }

    /** Joins (if need be) and enters a room, and stays present in it. */
    void enter(String roomId) throws Exception {
      call(roomId, "roomJoin", new JsonObject().put("roomId", roomId));
      present.put(roomId, true);
      call(roomId, "roomEnter", new JsonObject().put("roomId", roomId));
    }

    JsonObject post(String roomId, String cmid, String text) throws Exception {
      return call(
              roomId,
              "roomPost",
              new JsonObject().put("roomId", roomId).put("clientMessageId", cmid).put("text", text))
          .getJsonObject("entry");
    }

    private void forget(String roomId, String esp, boolean connection) {
      if (roomId != null) {
        hostOf.remove(roomId, esp);
      }
      if (connection) {
        EspClient c = conns.remove(esp);
        if (c != null) {
          c.disconnect();
        }
      }
    }

    private EspClient connection(String esp) throws Exception {
      EspClient c = conns.get(esp);
      if (c != null) {
        return c;
      }
      int colon = esp.lastIndexOf(':');
      EspClient fresh =
          await(
              EspClient.connect(
                  vertx,
                  new EspClientOptions()
                      .setHost(esp.substring(0, colon))
                      .setPort(Integer.parseInt(esp.substring(colon + 1)))
                      .setRequestTimeout(5000)),
              Duration.ofSeconds(5));
      await(fresh.login(agentId, agentId.toUpperCase(), null), Duration.ofSeconds(5));
      fresh.onRoomEvent(f -> onEvent(esp, f));
      fresh.onDisconnected(code -> lost(esp, fresh));
      EspClient raced = conns.putIfAbsent(esp, fresh);
      if (raced != null) {
        fresh.disconnect();
        return raced;
      }
      return fresh;
    }

    private void onEvent(String esp, JsonObject f) {
      if ("roomMoved".equals(f.getString("event"))) {
        String roomId = f.getString("roomId");
        String to = f.getString("esp");
        hostOf.remove(roomId, esp);
        if (to != null) {
          hostOf.put(roomId, to);
        }
        moves.incrementAndGet();
        comeBack(roomId);
      }
    }

    private void lost(String esp, EspClient gone) {
      conns.remove(esp, gone);
      hostOf.forEach(
          (roomId, host) -> {
            if (host.equals(esp) && hostOf.remove(roomId, esp)) {
              comeBack(roomId);
            }
          });
    }

    /** Enters the room again on its new host, and records how long this member was out. */
    private void comeBack(String roomId) {
      if (!present.containsKey(roomId)) {
        return;
      }
      long out = System.nanoTime();
      reenter.submit(
          () -> {
            try {
              call(roomId, "roomEnter", new JsonObject().put("roomId", roomId));
              longestOutMillis.accumulateAndGet((System.nanoTime() - out) / 1_000_000, Math::max);
            } catch (Exception e) {
              longestOutMillis.set(Long.MAX_VALUE);
            }
            return null;
          });
    }

    void close() {
      conns.values().forEach(EspClient::disconnect);
      conns.clear();
    }
  }
}
