package dev.hachat.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
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
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hand-over (evacuate) with two engines in one JVM sharing a store and registry: the chat is saved,
 * released and taken by the survivor at once (no wait for the owner to look dead), nothing
 * acknowledged is lost or doubled, and a request arriving mid-hand-over gets a retryable answer.
 */
class HandOverTest {
  private final Vertx vertx = Vertx.vertx();
  private final ControllableStore store = new ControllableStore();
  private final InstanceRegistry registry = TranscriptStores.inMemoryRegistry();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final HaOptions ha = new HaOptions();

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
    ChatEngine[] ref = new ChatEngine[1];
    Membership m =
        new Membership(
            vertx,
            registry,
            ha,
            id,
            () ->
                new InstanceRecord(
                    id,
                    id + ":1",
                    id + ":2",
                    id + ":3",
                    ref[0].state().wireName(),
                    ref[0].activeSessions(),
                    1000,
                    0,
                    0,
                    "test"),
            nanos::get,
            () -> ref[0].onLeaseLost());
    ChatEngine engine =
        ChatEngine.create(
            vertx,
            id,
            store,
            so,
            new TranscriptOptions(),
            kpi,
            Clock.systemUTC(),
            Ha.cluster(m, ha, 2000),
            AfterClose.deleteRecords(store));
    ref[0] = engine;
    await(engine.start(1));
    await(m.start(false));
    return new Node(id, engine, m, kpi);
  }

  /** Heartbeats until every node's first quarantine (R7) is over and all see each other. */
  private void tick(Node... nodes) throws Exception {
    long steps = ha.quarantineMillis() / ha.getHeartbeatInterval() + 1;
    for (int i = 0; i < steps; i++) {
      nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ha.getHeartbeatInterval()));
      for (Node n : nodes) {
        await(n.membership().tick());
      }
    }
  }

  private static ChatException failure(Future<?> f) {
    Throwable t = Assertions.catchThrowable(() -> await(f));
    assertThat(t).isInstanceOf(ChatException.class);
    return (ChatException) t;
  }

  @Test
  void hands_a_chat_to_a_live_survivor_at_once_with_nothing_lost_or_doubled() throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    tick(a, b);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    Session onA = await(a.engine().find(c.chatId()));
    Joined agent = await(onA.join(ParticipantType.AGENT, "Bob"));
    Entry m1 = await(onA.send(c.participantId(), c.secureKey(), "m1", "hello"));
    await(onA.send(agent.participantId(), agent.secureKey(), "r1", "hi Ann"));

    assertThat(await(a.engine().handOver(c.chatId()))).isEqualTo(HandOverOutcome.HANDED_OVER);
    assertThat(a.kpi().toJson().getLong("session_evacuated")).isEqualTo(1);
    assertThat(a.engine().activeSessions()).isZero();
    assertThat(await(store.load(c.chatId())).ownership().released()).isTrue();

    // The old owner sends requests on to the survivor and never takes the chat back.
    ChatException redirect = failure(a.engine().find(c.chatId()));
    assertThat(redirect.code()).isEqualTo(ErrorCode.NOT_OWNER);
    assertThat(redirect.details().getString("owner")).isEqualTo("cs-b");
    assertThat(redirect.details().getString("esp")).isEqualTo("cs-b:2");

    // The survivor takes it with no clock moved: the owner is alive, but released it.
    Session onB = await(b.engine().find(c.chatId()));
    List<Entry> t = await(onB.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(t).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(t.get(4).type()).isEqualTo(EntryType.NOTICE);
    assertThat(t.get(4).text()).isEqualTo("The chat moved to another server; it continues here.");
    assertThat(await(onB.send(c.participantId(), c.secureKey(), "m1", "hello"))).isEqualTo(m1);
    assertThat(await(onB.send(agent.participantId(), agent.secureKey(), "r2", "yes")).index())
        .isEqualTo(6);
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
    assertThat(b.kpi().toJson().getLong("session_restored")).isEqualTo(1);
  }

  @Test
  void a_send_mid_hand_over_is_refused_retryably_and_the_one_in_flight_is_kept() throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    tick(a, b);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    Session onA = await(a.engine().find(c.chatId()));

    store.gated = true;
    Future<Entry> inFlight = onA.send(c.participantId(), c.secureKey(), "m1", "saved last");
    Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() -> store.heldAppends() == 1);
    Future<HandOverOutcome> handOver = a.engine().handOver(c.chatId());
    ChatException refused = failure(onA.send(c.participantId(), c.secureKey(), "m2", "late"));
    assertThat(refused.code()).isEqualTo(ErrorCode.INSTANCE_UNAVAILABLE);
    assertThat(refused.code().retryable()).isTrue();
    assertThat(handOver.isComplete()).as("waits for the save in flight").isFalse();

    store.openGate();
    assertThat(await(inFlight).index()).isEqualTo(2);
    assertThat(await(handOver)).isEqualTo(HandOverOutcome.HANDED_OVER);

    Session onB = await(b.engine().find(c.chatId()));
    Entry m2 = await(onB.send(c.participantId(), c.secureKey(), "m2", "late"));
    List<Entry> t = await(onB.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(t.stream().filter(e -> e.type() == EntryType.MESSAGE).map(Entry::text))
        .containsExactly("saved last", "late");
    assertThat(m2.index()).isEqualTo(4); // join, m1, moved notice, m2
  }

  @Test
  void a_chat_released_with_no_survivor_alive_comes_back_to_its_owner() throws Exception {
    Node a = node("cs-a");
    tick(a);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    assertThat(await(a.engine().handOver(c.chatId()))).isEqualTo(HandOverOutcome.HANDED_OVER);
    Session again = await(a.engine().find(c.chatId()));
    assertThat(await(again.send(c.participantId(), c.secureKey(), "m1", "still here")).index())
        .isEqualTo(3);
  }

  @Test
  void an_evacuating_instance_claims_no_chat_and_sends_it_on() throws Exception {
    Node a = node("cs-a");
    Node b = node("cs-b");
    tick(a, b);
    Joined c = await(b.engine().requestChat("Ann", "billing", Map.of()));
    assertThat(await(b.engine().handOver(c.chatId()))).isEqualTo(HandOverOutcome.HANDED_OVER);
    a.engine().disable();
    a.engine().setPhase(EngineState.EVACUATING);
    tick(a, b);
    ChatException e = failure(a.engine().find(c.chatId()));
    assertThat(e.code()).isEqualTo(ErrorCode.NOT_OWNER);
    assertThat(e.details().getString("owner")).isEqualTo("cs-b");
    assertThat(await(store.load(c.chatId())).ownership().epoch()).as("not claimed").isEqualTo(1);
    // b released it, but the only other instance is evacuating: b takes it back.
    await(b.engine().find(c.chatId()));
    assertThat(await(store.load(c.chatId())).ownership().owner()).isEqualTo("cs-b");
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
  }
}
