package dev.hachat.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.protocol.ChatException;
import dev.hachat.esp.protocol.ErrorCode;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.HaOptions;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.InstanceRegistry;
import dev.hachat.store.spi.TranscriptStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Restore and fencing with several engines in one JVM sharing the in-memory store and registry, and
 * one hand-moved monotonic clock (the real multi-process tests run against Cassandra).
 */
class RestoreTest {
  private final Vertx vertx = Vertx.vertx();
  private final TranscriptStore store = TranscriptStores.inMemory();
  private final InstanceRegistry registry = TranscriptStores.inMemoryRegistry();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final HaOptions ha = new HaOptions(); // interval 500 ms, timeout 3000 ms
  private final List<Node> nodes = new ArrayList<>();

  /** One instance: engine, membership, counters. */
  record Node(String id, ChatEngine engine, Membership membership, Kpi kpi) {}

  static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception c ? c : e;
    }
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private Node node(String id) throws Exception {
    Kpi kpi = new Kpi(new SimpleMeterRegistry());
    SessionOptions so = new SessionOptions();
    so.getInactivityControl().setEnabled(false);
    ChatEngine engine =
        ChatEngine.create(vertx, id, store, so, new TranscriptOptions(), kpi, Clock.systemUTC());
    ChatEngine[] ref = {engine};
    Membership m =
        new Membership(
            vertx,
            registry,
            ha,
            id,
            () ->
                new InstanceRecord(
                    id,
                    "127.0.0.1:1",
                    "127.0.0.1:2",
                    "127.0.0.1:3",
                    "normal",
                    ref[0].activeSessions(),
                    1000,
                    0,
                    0,
                    "test"),
            nanos::get,
            engine::onLeaseLost);
    engine.enableHa(m, ha);
    await(engine.start(1));
    await(m.start(false));
    Node n = new Node(id, engine, m, kpi);
    nodes.add(n);
    return n;
  }

  /** Moves the clock and lets the given (living) nodes heartbeat and poll. */
  private void advance(long millis, Node... alive) throws Exception {
    long step = ha.getHeartbeatInterval();
    for (long t = 0; t < millis; t += step) {
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(step));
      for (Node n : alive) {
        n.membership().tick();
      }
      // let the ticks' store calls complete (the in-memory store answers at once)
      await(vertx.executeBlocking(() -> null));
    }
  }

  private static void assertFailsWith(ErrorCode code, Future<?> f) {
    Assertions.assertThatThrownBy(() -> await(f))
        .isInstanceOfSatisfying(ChatException.class, e -> assertThat(e.code()).isEqualTo(code));
  }

  @Test
  void restores_session_on_survivor_after_owner_dies() throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    advance(1000, a, b);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    Session onA = await(a.engine().find(c.chatId()));
    Joined agent = await(onA.join(ParticipantType.AGENT, "Bob"));
    Entry m1 = await(onA.send(c.participantId(), c.secureKey(), "m1", "hello"));
    await(onA.send(agent.participantId(), agent.secureKey(), "r1", "hi Ann"));

    // a dies: it stops heartbeating; b notices after the timeout.
    assertFailsWith(ErrorCode.NOT_OWNER, b.engine().find(c.chatId()));
    advance(ha.getHeartbeatTimeout() + 1000, b);

    Session onB = await(b.engine().find(c.chatId()));
    List<Entry> t = await(onB.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(t).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(t.get(4).type()).isEqualTo(EntryType.NOTICE);
    // Same credentials, same idempotency keys, next index.
    assertThat(await(onB.send(c.participantId(), c.secureKey(), "m1", "hello"))).isEqualTo(m1);
    assertThat(await(onB.send(c.participantId(), c.secureKey(), "m2", "are you there?")).index())
        .isEqualTo(6);
    assertThat(await(onB.send(agent.participantId(), agent.secureKey(), "r2", "yes")).index())
        .isEqualTo(7);
    assertThat(b.kpi().toJson().getLong("session_restored")).isEqualTo(1);
    assertThat(await(store.load(c.chatId())).ownership().owner()).isEqualTo("cs-b");
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
  }

  @Test
  void update_nickname_and_merged_user_data_survive_restore() throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    advance(1000, a, b);
    Joined c =
        await(a.engine().requestChat("Ann", "billing", Map.of("order", "A-17", "lang", "en")));
    Session onA = await(a.engine().find(c.chatId()));
    Entry renamed = await(onA.updateNickname(c.participantId(), c.secureKey(), "Annie"));
    await(onA.updateData(c.participantId(), c.secureKey(), Map.of("order", "B-2", "tier", "gold")));
    await(onA.updateData(c.participantId(), c.secureKey(), Map.of("tier", "platinum")));

    advance(ha.getHeartbeatTimeout() + 1000, b);
    Session onB = await(b.engine().find(c.chatId()));
    List<Entry> t = await(onB.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(t.get(1)).isEqualTo(renamed);
    assertThat(t)
        .extracting(Entry::type)
        .containsSubsequence(
            EntryType.NICKNAME_UPDATED, EntryType.USER_DATA_UPDATED, EntryType.USER_DATA_UPDATED);
    SessionSummary summary = await(onB.summary());
    assertThat(summary.customer()).isEqualTo("Annie");
    assertThat(summary.userData())
        .isEqualTo(Map.of("order", "B-2", "lang", "en", "tier", "platinum"));
    // The restored roster has the new nickname; later entries carry it.
    assertThat(await(onB.send(c.participantId(), c.secureKey(), "m1", "back")).nickname())
        .isEqualTo("Annie");
    assertThat(b.engine().waiting())
        .singleElement()
        .satisfies(w -> assertThat(w.userData()).containsEntry("tier", "platinum"));
  }

  @Test
  void live_owner_is_never_robbed() throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    advance(1000, a, b);
    Joined c = await(a.engine().requestChat("Ann", "", Map.of()));
    advance(ha.getHeartbeatTimeout() * 2L, a, b);
    Assertions.assertThatThrownBy(() -> await(b.engine().find(c.chatId())))
        .isInstanceOfSatisfying(
            ChatException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NOT_OWNER);
              assertThat(e.details().getString("owner")).isEqualTo("cs-a");
              assertThat(e.details().getString("webapi")).isEqualTo("127.0.0.1:1");
            });
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(1);
    assertThat(
            await(
                    await(a.engine().find(c.chatId()))
                        .send(c.participantId(), c.secureKey(), "m1", "x"))
                .index())
        .isEqualTo(2);
  }

  @Test
  void two_survivors_restoring_at_once_end_with_one_owner() throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    Node d = node("cs-d");
    advance(1000, a, b, d);
    List<Joined> chats = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      chats.add(await(a.engine().requestChat("Ann" + i, "", Map.of())));
    }
    advance(ha.getHeartbeatTimeout() + 1000, b, d);
    for (Joined c : chats) {
      Future<Session> fb = b.engine().find(c.chatId());
      Future<Session> fd = d.engine().find(c.chatId());
      int won = 0;
      for (Future<Session> f : List.of(fb, fd)) {
        try {
          await(f);
          won++;
        } catch (ChatException e) {
          assertThat(e.code()).isEqualTo(ErrorCode.NOT_OWNER);
        }
      }
      assertThat(won).isEqualTo(1);
      assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
    }
    assertThat(
            b.kpi().toJson().getLong("session_restored")
                + d.kpi().toJson().getLong("session_restored"))
        .isEqualTo(20);
  }

  @Test
  void stale_owner_acknowledges_nothing_after_its_lease_lapsed_and_purges_its_copy()
      throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    advance(1000, a, b);
    Joined c = await(a.engine().requestChat("Ann", "", Map.of()));
    Session onA = await(a.engine().find(c.chatId()));
    await(onA.send(c.participantId(), c.secureKey(), "m1", "before the pause"));

    // a is paused (SIGSTOP): no heartbeats; b takes over and the chat goes on.
    advance(ha.getHeartbeatTimeout() + 1000, b);
    Session onB = await(b.engine().find(c.chatId()));
    await(onB.send(c.participantId(), c.secureKey(), "m2", "on b"));

    // a resumes: a write that completes now is not acknowledged...
    assertFailsWith(ErrorCode.NOT_OWNER, onA.send(c.participantId(), c.secureKey(), "m3", "stale"));
    // ...and its first tick fences and drops what it held.
    advance(ha.getHeartbeatInterval(), a, b);
    assertThat(a.kpi().toJson().getLong("session_purged")).isEqualTo(1);
    assertThat(a.engine().activeSessions()).isZero();
    // a request reaching a now is redirected to the live owner b.
    Assertions.assertThatThrownBy(() -> await(a.engine().find(c.chatId())))
        .isInstanceOfSatisfying(
            ChatException.class, e -> assertThat(e.details().getString("owner")).isEqualTo("cs-b"));

    List<Entry> t = await(onB.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(t)
        .extracting(Entry::text)
        .contains("before the pause", "on b")
        .doesNotContain("stale");
  }
}
