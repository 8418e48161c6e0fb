package dev.hachat.server.session;

import static dev.hachat.server.testing.ChatFailures.failure;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.testing.InProcessNode;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.RestoreNotice;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Hand-over (evacuate) with two engines in one JVM sharing a store and registry: the chat is saved,
 * released and taken by the survivor at once (no wait for the owner to look dead), nothing
 * acknowledged is lost or doubled, and a request arriving mid-hand-over gets a retryable answer.
 */
class HandOverTest extends ClusterTestBase {
  {
    nodes.handOverTimeout(2000);
  }

  /** Heartbeats until every node's first quarantine (R7) is over and all see each other. */
  private void tick(InProcessNode... alive) throws Exception {
    advance(ha.quarantineMillis() + ha.getHeartbeatInterval(), alive);
  }

  @Test
  void hands_a_chat_to_a_live_survivor_at_once_with_nothing_lost_or_doubled() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
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
    assertThat(t.get(4).clientMessageId()).isEqualTo(RestoreNotice.TAG_HANDED_OVER);
    assertThat(await(onB.send(c.participantId(), c.secureKey(), "m1", "hello"))).isEqualTo(m1);
    assertThat(await(onB.send(agent.participantId(), agent.secureKey(), "r2", "yes")).index())
        .isEqualTo(6);
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
    assertThat(b.kpi().toJson().getLong("session_restored")).isEqualTo(1);
  }

  @Test
  void a_send_mid_hand_over_is_refused_retryably_and_the_one_in_flight_is_kept() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
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
    InProcessNode a = node("cs-a");
    tick(a);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    assertThat(await(a.engine().handOver(c.chatId()))).isEqualTo(HandOverOutcome.HANDED_OVER);
    Session again = await(a.engine().find(c.chatId()));
    assertThat(await(again.send(c.participantId(), c.secureKey(), "m1", "still here")).index())
        .isEqualTo(3);
  }

  @Test
  void an_evacuating_instance_gives_up_a_chat_it_owns_but_no_longer_holds() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    tick(a, b);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    // a's heartbeats stall for longer than its lease, not long enough to look dead to b: a fences
    // and drops its copy, but the store still names it the owner (RollingUpgradeIT under load).
    advance(ha.leaseMillis() + ha.getHeartbeatInterval(), b);
    tickNow(a);
    assertThat(a.engine().holds(c.chatId())).as("fenced and purged").isFalse();
    advance(ha.getHeartbeatInterval(), a, b);
    a.engine().disable();
    a.engine().setPhase(EngineState.EVACUATING);
    assertThat(a.engine().liveSessionIds()).as("nothing for the evacuation to hand over").isEmpty();

    // The customer's request reaches a: it may claim nothing, so it gives the chat up.
    ChatException redirect = failure(a.engine().find(c.chatId()));
    assertThat(redirect.code()).isEqualTo(ErrorCode.NOT_OWNER);
    assertThat(redirect.details().getString("owner")).isEqualTo("cs-b");
    assertThat(await(store.load(c.chatId())).ownership().released()).isTrue();

    // The survivor takes it at once, though a is alive (before: NOT_OWNER cs-a, back and forth
    // until the evacuation ended).
    Session onB = await(b.engine().find(c.chatId()));
    assertThat(await(onB.send(c.participantId(), c.secureKey(), "m1", "hello")).index())
        .isEqualTo(3); // join, moved notice, m1
    assertThat(await(store.load(c.chatId())).ownership().owner()).isEqualTo("cs-b");
    assertThat(await(store.load(c.chatId())).ownership().epoch()).isEqualTo(2);
  }

  @Test
  void an_evacuating_instance_claims_no_chat_and_sends_it_on() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
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
