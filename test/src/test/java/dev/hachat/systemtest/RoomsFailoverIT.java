package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomEntryType;
import dev.hachat.store.room.RoomStores;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Persistent rooms through kill -9 and fallback, with real processes (docs/rooms.md): three
 * instances on Cassandra with their rooms in PostgreSQL, 50 rooms of 5 members each posting with
 * client message ids; kill -9 of the instance hosting the most rooms while posts are in flight;
 * every room goes on on a survivor; the killed instance restarts and {@code POST /admin/rebalance}
 * moves rooms back to it while members keep posting; then a SIGTERM of that instance hands its
 * rooms to the others (a clean stop destroys none). A history checker then finds every acknowledged
 * message of every room once, in acknowledgement order, in PostgreSQL.
 */
class RoomsFailoverIT {
  static final int ROOMS = 50;
  static final int MEMBERS = 5;
  static final int ROUNDS_BEFORE = 4;
  static final int ROUNDS_AFTER = 2;
  static final int ROUNDS_STOP = 1;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("rooms_failover")
          .contactHistory()
          .instances(3)
          .instanceProperty("hachat.rooms.restore-interval", "500ms")
          .build();

  private final List<String> alive = new CopyOnWriteArrayList<>();
  private final Map<String, List<String>> acked = new ConcurrentHashMap<>(); // room -> texts

  @Test
  void rooms_survive_kill_9_of_their_host_and_move_back_by_rebalance_with_nothing_lost()
      throws Exception {
    List<InstanceProcess> procs = new ArrayList<>(cluster.group().processes());
    procs.forEach(p -> alive.add("127.0.0.1:" + p.espPort()));
    try (RoomMembers members = new RoomMembers(cluster.vertx(), () -> List.copyOf(alive))) {
      List<String> rooms = createRooms(members);
      Map<String, Integer> placed = placement(procs.get(0));
      System.out.println("rooms per instance after creation: " + placed);
      assertThat(placed.values()).allMatch(n -> n >= ROOMS / 3 - 2); // least-loaded placement

      // Phase 1: everybody posts; kill -9 of the busiest host a third of the way through.
      CountDownLatch third = new CountDownLatch(ROOMS * MEMBERS * ROUNDS_BEFORE / 3);
      ExecutorService pool = Executors.newFixedThreadPool(ROOMS);
      List<Future<?>> workers = post(pool, members, rooms, 0, ROUNDS_BEFORE, third);
      assertThat(third.await(3, TimeUnit.MINUTES)).as("rooms make progress").isTrue();
      InstanceProcess victim = busiest(procs);
      long victimRooms = cluster.kpi(victim).getLong("rooms_hosted");
      alive.remove("127.0.0.1:" + victim.espPort());
      victim.kill();
      System.out.printf("kill -9 of %s hosting %d rooms%n", victim.instanceId(), victimRooms);
      for (Future<?> w : workers) {
        w.get(5, TimeUnit.MINUTES);
      }
      InstanceProcess survivor = procs.stream().filter(InstanceProcess::isAlive).findFirst().get();
      // Every room is hosted by a survivor (the placement lists live instances only, so the sum
      // is what shows it; the records it comes from are at most a heartbeat old).
      org.awaitility.Awaitility.await("every room hosted by a survivor")
          .atMost(java.time.Duration.ofSeconds(15))
          .pollInterval(java.time.Duration.ofMillis(200))
          .untilAsserted(
              () ->
                  assertThat(
                          placement(survivor).values().stream().mapToInt(Integer::intValue).sum())
                      .isEqualTo(ROOMS));
      System.out.printf(
          "after the kill: %s, %d resends%n", placement(survivor), members.retries.get());
      assertThat(members.retries.get()).as("posts were in flight at the kill").isPositive();

      // Phase 2: the killed instance returns; rebalance moves rooms back while members post.
      InstanceProcess back =
          InstanceProcess.start(
              victim.instanceId(),
              cluster.instanceProperties(),
              List.of("-Xmx256m"),
              victim.instanceId() + "-again");
      cluster.adopt(back.pid());
      alive.add("127.0.0.1:" + back.espPort());
      members.resetOut();
      int movesBefore = members.moves.get();
      workers = post(pool, members, rooms, ROUNDS_BEFORE, ROUNDS_BEFORE + ROUNDS_AFTER, null);
      JsonObject rebalanced = cluster.adminPost(back, "/admin/rebalance");
      System.out.println(
          "rebalance: "
              + rebalanced.getInteger("moves")
              + " moves, "
              + rebalanced.getJsonObject("placement"));
      for (Future<?> w : workers) {
        w.get(5, TimeUnit.MINUTES);
      }
      pool.shutdownNow();
      Map<String, Integer> after = placement(back);
      System.out.printf(
          "after rebalance: %s; members told of %d moves, longest out of a room %d ms%n",
          after, members.moves.get() - movesBefore, members.longestOutMillis.get());
      assertThat(after.get(back.instanceId()))
          .as("rooms moved back")
          .isGreaterThanOrEqualTo(ROOMS / 3 - 1);
      assertThat(cluster.kpi(back).getLong("rooms_restored")).isGreaterThanOrEqualTo(ROOMS / 3 - 1);
      assertThat(members.moves.get() - movesBefore).as("present members were told").isPositive();
      assertThat(members.longestOutMillis.get())
          .as("no member out of a room for longer than a hand-over")
          .isLessThan(10_000);

      // Phase 3: a clean stop (SIGTERM) of the returned instance hands its rooms over.
      members.resetOut();
      int movesBeforeStop = members.moves.get();
      int from = ROUNDS_BEFORE + ROUNDS_AFTER;
      ExecutorService stopPool = Executors.newFixedThreadPool(ROOMS);
      workers = post(stopPool, members, rooms, from, from + ROUNDS_STOP, null);
      back.sigterm();
      assertThat(back.awaitExit(60)).as("a graceful stop exits 0").isZero();
      alive.remove("127.0.0.1:" + back.espPort());
      for (Future<?> w : workers) {
        w.get(5, TimeUnit.MINUTES);
      }
      stopPool.shutdownNow();
      Map<String, Integer> afterStop = placement(survivor);
      System.out.printf(
          "after SIGTERM of %s: %s; members told of %d moves, longest out of a room %d ms%n",
          back.instanceId(),
          afterStop,
          members.moves.get() - movesBeforeStop,
          members.longestOutMillis.get());
      assertThat(afterStop.values().stream().mapToInt(Integer::intValue).sum())
          .as("a clean stop destroys no room")
          .isEqualTo(ROOMS);
      assertThat(members.moves.get() - movesBeforeStop)
          .as("present members were told")
          .isPositive();
      assertThat(members.longestOutMillis.get()).isLessThan(10_000);
      checkHistory(rooms);
    }
  }

  private List<String> createRooms(RoomMembers members) throws Exception {
    List<String> rooms = new ArrayList<>();
    RoomMembers.Member owner = members.member("m0");
    for (int i = 0; i < ROOMS; i++) {
      JsonObject created =
          owner.call(
              null, "roomCreate", new JsonObject().put("name", "room " + i).put("topic", "t" + i));
      String id = created.getJsonObject("room").getString("roomId");
      rooms.add(id);
      acked.put(id, new CopyOnWriteArrayList<>());
      for (int m = 0; m < MEMBERS; m++) {
        members.member("m" + m).enter(id);
      }
    }
    return rooms;
  }

  /** One worker per room: its members post in turn, rounds {@code from} to {@code to}. */
  private List<Future<?>> post(
      ExecutorService pool,
      RoomMembers members,
      List<String> rooms,
      int from,
      int to,
      CountDownLatch progress) {
    List<Future<?>> workers = new ArrayList<>();
    for (String room : rooms) {
      workers.add(
          pool.submit(
              () -> {
                long last = 0;
                for (int round = from; round < to; round++) {
                  for (int m = 0; m < MEMBERS; m++) {
                    String text = "m" + m + "-r" + round;
                    JsonObject e = members.member("m" + m).post(room, "c-" + m + "-" + round, text);
                    long index = e.getLong("index");
                    assertThat(index).as("index after %d in %s", last, room).isGreaterThan(last);
                    last = index;
                    acked.get(room).add(text);
                    if (progress != null) {
                      progress.countDown();
                    }
                  }
                }
                return null;
              }));
    }
    return workers;
  }

  /** The history checker: PostgreSQL holds each room's acknowledged messages once, in order. */
  private void checkHistory(List<String> rooms) throws Exception {
    RoomStore pg =
        await(
            RoomStores.postgres(cluster.vertx(), cluster.postgres().options()),
            Duration.ofSeconds(30));
    try {
      int messages = 0;
      int notices = 0;
      for (String room : rooms) {
        List<RoomEntry> all = new ArrayList<>();
        long after = 0;
        while (true) {
          List<RoomEntry> page = await(pg.read(room, after, true, 500));
          if (page.isEmpty()) {
            break;
          }
          all.addAll(page);
          after = page.get(page.size() - 1).index();
        }
        for (int k = 0; k < all.size(); k++) {
          assertThat(all.get(k).index()).as("gap-free indexes in %s", room).isEqualTo(k + 1);
        }
        List<String> texts =
            all.stream()
                .filter(e -> e.type() == RoomEntryType.MESSAGE)
                .map(RoomEntry::text)
                .toList();
        assertThat(texts)
            .as("room %s holds every acknowledged message once, in order", room)
            .containsExactlyElementsOf(acked.get(room));
        messages += texts.size();
        notices += (int) all.stream().filter(e -> e.type() == RoomEntryType.NOTICE).count();
      }
      System.out.printf(
          "history checked: %d rooms, %d messages, %d move notices%n",
          rooms.size(), messages, notices);
      assertThat(messages)
          .isEqualTo(ROOMS * MEMBERS * (ROUNDS_BEFORE + ROUNDS_AFTER + ROUNDS_STOP));
    } finally {
      await(pg.shutdown());
    }
  }

  private Map<String, Integer> placement(InstanceProcess p) throws Exception {
    JsonObject rooms =
        await(cluster.http().get(p.adminPort(), "127.0.0.1", "/rooms").send())
            .bodyAsJsonObject()
            .getJsonObject("rooms");
    Map<String, Integer> out = new java.util.TreeMap<>();
    rooms.forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return out;
  }

  private InstanceProcess busiest(List<InstanceProcess> procs) throws Exception {
    InstanceProcess best = null;
    long most = -1;
    for (InstanceProcess p : procs) {
      long n = cluster.kpi(p).getLong("rooms_hosted");
      if (n > most) {
        most = n;
        best = p;
      }
    }
    return best;
  }
}
