package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.hachat.server.testing.InProcessNode;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.StoredSession;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every leave records why in its {@code ParticipantLeft} entry (a {@link ReasonCode}), and the
 * engine closes and leaves with codes of the right kind only.
 */
class LeaveReasonsTest extends ClusterTestBase {
  @Test
  void every_leave_records_its_reason_and_the_agent_closing_records_agent_closed()
      throws Exception {
    InProcessNode a = node("cs-a");
    advance(ha.quarantineMillis(), a);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    Session s = await(a.engine().find(c.chatId()));
    Joined sup = await(s.join(ParticipantType.SUPERVISOR, "Sue", "super-1"));
    Joined bob = await(s.join(ParticipantType.AGENT, "Bob"));
    await(s.leave(sup.participantId(), sup.secureKey()));
    await(s.leave(bob.participantId(), bob.secureKey()));
    Joined eve = await(s.join(ParticipantType.AGENT, "Eve", "agent-eve"));
    await(s.end(eve.participantId(), eve.secureKey(), ReasonCode.AGENT_CLOSED));

    StoredSession stored = await(store.load(c.chatId()));
    assertThat(stored.closed().reason()).isEqualTo("AGENT_CLOSED");
    assertThat(stored.entries().stream().filter(e -> e.type() == EntryType.PARTICIPANT_LEFT))
        .extracting(Entry::nickname, Entry::text)
        .containsExactly(
            tuple("Sue", "LEFT"), tuple("Bob", "AGENT_LEFT"), tuple("Eve", "AGENT_CLOSED"));
    assertThat(stored.participants().values())
        .extracting(p -> p.nickname(), p -> p.agentId())
        .containsExactly(
            tuple("Ann", null),
            tuple("Sue", "super-1"),
            tuple("Bob", null),
            tuple("Eve", "agent-eve"));
  }

  @Test
  void a_reason_that_is_no_leave_or_no_close_is_refused() throws Exception {
    InProcessNode a = node("cs-a");
    advance(ha.quarantineMillis(), a);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    Session s = await(a.engine().find(c.chatId()));
    assertThatThrownBy(
            () -> await(s.leave(c.participantId(), c.secureKey(), ReasonCode.INACTIVITY)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> await(s.close(ReasonCode.AGENT_LEFT)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(await(store.load(c.chatId())).isClosed()).isFalse();
  }
}
