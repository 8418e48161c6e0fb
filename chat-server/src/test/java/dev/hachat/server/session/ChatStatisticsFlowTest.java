package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hachat.server.testing.InProcessNode;
import dev.hachat.store.ChatStatistics;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.RestoreNotice;
import dev.hachat.store.StoredSession;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the engine records for the contact history's statistics, end to end on a hand-moved clock:
 * leave reasons in the {@code ParticipantLeft} entries, the agent ids in the participant records,
 * the tagged restore notice; and the statistics {@link ChatStatistics#of} computes from the stored
 * session after a transfer and a restore on another instance. The leave reasons of each kind:
 * {@link LeaveReasonsTest}.
 */
class ChatStatisticsFlowTest extends ClusterTestBase {
  {
    nodes.addressesOn("127.0.0.1");
  }

  @Test
  void a_transferred_chat_restored_elsewhere_has_exact_statistics() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    long t0 = await(store.load(c.chatId())).session().createdAt();
    Session onA = await(a.engine().find(c.chatId()));
    await(onA.send(c.participantId(), c.secureKey(), "m1", "hello"));

    advance(30_000, a, b);
    Joined bob = await(onA.join(ParticipantType.AGENT, "Bob", "agent-bob"));
    // the interaction server writes its routing counts after the accept (a customer may not)
    await(
        onA.updateData(
            bob.participantId(),
            bob.secureKey(),
            Map.of(ChatStatistics.OFFERS_KEY, "3", ChatStatistics.REJECTS_KEY, "1"),
            dev.hachat.store.Visibility.INT));
    advance(10_000, a, b);
    await(onA.send(bob.participantId(), bob.secureKey(), "r1", "hi Ann"));
    advance(20_000, a, b);
    await(onA.leave(bob.participantId(), bob.secureKey(), ReasonCode.TRANSFERRED_OUT));
    advance(5_000, a, b);
    Joined eve = await(onA.join(ParticipantType.AGENT, "Eve", "agent-eve"));

    // a dies; b restores the chat (at once, or when Eve comes back)
    advance(ha.getHeartbeatTimeout() + 1000, b);
    Session onB = await(b.engine().find(c.chatId()));
    await(onB.send(eve.participantId(), eve.secureKey(), "r2", "Eve here"));
    advance(30_000, b);
    await(onB.leave(c.participantId(), c.secureKey()));

    StoredSession stored = await(store.load(c.chatId()));
    assertThat(stored.closed().reason()).isEqualTo("CUSTOMER_LEFT");
    long closedAt = stored.closed().closedAt();
    assertThat(closedAt - t0).isEqualTo(65_000 + ha.getHeartbeatTimeout() + 1000 + 30_000);
    List<Entry> left =
        stored.entries().stream().filter(e -> e.type() == EntryType.PARTICIPANT_LEFT).toList();
    assertThat(left)
        .extracting(Entry::participantId, Entry::text)
        .containsExactly(
            tuple(bob.participantId(), "TRANSFERRED_OUT"),
            tuple(c.participantId(), "CUSTOMER_LEFT"));
    assertThat(stored.entries().stream().filter(RestoreNotice::is))
        .singleElement()
        .extracting(Entry::clientMessageId)
        .isEqualTo(RestoreNotice.TAG_INTERRUPTED);

    ChatStatistics s = ChatStatistics.of(stored);
    assertThat(s.queueWaitMillis()).isEqualTo(30_000L);
    assertThat(s.timeToAnswerMillis()).isEqualTo(10_000L);
    assertThat(s.agents()).isEqualTo(2);
    assertThat(s.transfers()).isEqualTo(1);
    assertThat(s.restores()).isEqualTo(1);
    assertThat(s.offers()).isEqualTo(3);
    assertThat(s.rejects()).isEqualTo(1);
    assertThat(s.participants())
        .extracting(
            ChatStatistics.Part::agentId,
            ChatStatistics.Part::joinedAt,
            ChatStatistics.Part::leaveReason,
            ChatStatistics.Part::handleMillis)
        .containsExactly(
            tuple(null, t0, "CUSTOMER_LEFT", null),
            tuple("agent-bob", t0 + 30_000, "TRANSFERRED_OUT", 30_000L),
            tuple("agent-eve", t0 + 65_000, "CUSTOMER_LEFT", closedAt - (t0 + 65_000)));
  }
}
