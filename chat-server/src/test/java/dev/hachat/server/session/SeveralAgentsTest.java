package dev.hachat.server.session;

import static dev.hachat.server.testing.ChatFailures.assertFailsWith;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.ReasonCode;
import dev.hachat.store.Visibility;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Conference and consult (docs/engine.md, "Several agents"): an invited agent joins beside the one
 * there; internal lines and a consulted agent's join reach agents and supervisors only, on every
 * path a customer reads (join reply, refresh, stream), and are stored with their visibility.
 */
class SeveralAgentsTest extends EngineTestBase {

  private static List<Long> indexes(List<Entry> entries) {
    return entries.stream().map(Entry::index).toList();
  }

  @Test
  void an_invited_agent_joins_beside_the_agent_where_an_accept_is_refused() throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Joined bob = await(s.join(ParticipantType.AGENT, "Bob", "bob"));
    assertFailsWith(ErrorCode.ALREADY_TAKEN, s.join(ParticipantType.AGENT, "Eve", "eve"));

    Joined eve = await(s.join(ParticipantType.AGENT, "Eve", "eve", JoinMode.CONFERENCE));
    assertThat(eve.participantId()).isNotEqualTo(bob.participantId());
    Entry fromEve = await(s.send(eve.participantId(), eve.secureKey(), "e1", "hello, I am Eve"));
    List<Entry> seen = await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(seen).contains(fromEve);
    assertThat(seen)
        .filteredOn(e -> e.type() == EntryType.PARTICIPANT_JOINED)
        .extracting(Entry::nickname)
        .containsExactly("Ann", "Bob", "Eve");

    // Bob leaves: the chat still has an agent, so it does not wait again.
    await(s.leave(bob.participantId(), bob.secureKey()));
    assertThat(engine.waiting()).isEmpty();
    // The same holder accepting again (a failover) gets its own seat, not Bob's.
    Joined again = await(s.join(ParticipantType.AGENT, "Eve", "eve"));
    assertThat(again.participantId()).isEqualTo(eve.participantId());
  }

  @Test
  void internal_lines_and_a_consult_join_never_reach_the_customer() throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    List<Entry> pushed = new CopyOnWriteArrayList<>();
    await(
        s.subscribe(
            c.participantId(),
            c.secureKey(),
            0,
            new SessionListener() {
              @Override
              public void onEntry(Session session, Entry entry) {
                pushed.add(entry);
              }

              @Override
              public void onClosed(Session session, CloseInfo info) {}
            }));
    Joined bob = await(s.join(ParticipantType.AGENT, "Bob", "bob"));
    Joined eve = await(s.join(ParticipantType.AGENT, "Eve", "eve", JoinMode.CONSULT));
    Entry ask =
        await(s.send(bob.participantId(), bob.secureKey(), "b1", "refund?", Visibility.INT));
    Entry answer =
        await(s.send(eve.participantId(), eve.secureKey(), "e1", "yes, up to 50", Visibility.INT));
    Entry evesTyping = await(s.typing(eve.participantId(), eve.secureKey(), true));
    Entry toCustomer = await(s.send(bob.participantId(), bob.secureKey(), "b2", "refunded"));

    assertThat(ask.visibility()).isEqualTo(Visibility.INT);
    List<Entry> agentView =
        await(s.entriesAfter(bob.participantId(), bob.secureKey(), 0)).entries();
    assertThat(agentView).contains(ask, answer, toCustomer);
    assertThat(agentView)
        .filteredOn(e -> e.type() == EntryType.PARTICIPANT_JOINED && "Eve".equals(e.nickname()))
        .singleElement()
        .satisfies(e -> assertThat(e.visibility()).isEqualTo(Visibility.INT));

    Transcript customer = await(s.entriesAfter(c.participantId(), c.secureKey(), 0));
    assertThat(customer.entries()).allMatch(e -> e.visibility() == Visibility.ALL);
    assertThat(customer.entries()).contains(toCustomer).doesNotContain(ask, answer);
    assertThat(customer.entries()).noneMatch(e -> "Eve".equals(e.nickname()));
    assertThat(evesTyping.visibility()).as("a consultant's typing").isEqualTo(Visibility.INT);
    // An agent's join reaches the customer without its holder tag (the instance's business).
    assertThat(customer.entries())
        .filteredOn(e -> e.type() == EntryType.PARTICIPANT_JOINED && "Bob".equals(e.nickname()))
        .singleElement()
        .satisfies(e -> assertThat(e.clientMessageId()).isNull());
    assertThat(pushed)
        .allMatch(e -> e.type() != EntryType.PARTICIPANT_JOINED || e.clientMessageId() == null);
    assertThat(customer.nextPosition()).isEqualTo(toCustomer.index() + 1);
    Awaitility.await().until(() -> pushed.contains(toCustomer));
    assertThat(indexes(pushed)).isEqualTo(indexes(customer.entries()));

    // A customer cannot send an internal line; the store keeps the visibility of each entry.
    assertFailsWith(
        ErrorCode.FORBIDDEN,
        s.send(c.participantId(), c.secureKey(), "c1", "psst", Visibility.INT));
    Awaitility.await().until(() -> await(store.load(c.chatId())).entries().contains(toCustomer));
    assertThat(await(store.load(c.chatId())).entries()).contains(ask, answer);
  }

  @Test
  void an_agent_joins_beside_another_only_when_invited_and_once() throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Joined bob = await(s.join(ParticipantType.AGENT, "Bob", "bob"));
    assertFailsWith(
        ErrorCode.FORBIDDEN, s.join(ParticipantType.AGENT, "Eve", "eve", JoinMode.CONSULT, false));
    assertFailsWith(
        ErrorCode.FORBIDDEN, s.invite(c.participantId(), c.secureKey(), "eve", "consult"));
    await(s.invite(bob.participantId(), bob.secureKey(), "eve", "consult"));
    await(s.join(ParticipantType.AGENT, "Eve", "eve", JoinMode.CONSULT, false));
    // The invitation is used up: another agent cannot ride on it, nor can it be taken twice.
    assertFailsWith(
        ErrorCode.FORBIDDEN,
        s.join(ParticipantType.AGENT, "Max", "max", JoinMode.CONFERENCE, false));
    clock.advance(java.time.Duration.ofMillis(SessionState.INVITATION_MS + 1));
    await(s.invite(bob.participantId(), bob.secureKey(), "max", "conference"));
    clock.advance(java.time.Duration.ofMillis(SessionState.INVITATION_MS + 1));
    assertFailsWith(
        ErrorCode.FORBIDDEN,
        s.join(ParticipantType.AGENT, "Max", "max", JoinMode.CONFERENCE, false));
  }

  @Test
  void a_chat_left_to_its_consultant_waits_and_a_transfer_makes_the_consultant_its_agent()
      throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Joined bob = await(s.join(ParticipantType.AGENT, "Bob", "bob"));
    Joined eve = await(s.join(ParticipantType.AGENT, "Eve", "eve", JoinMode.CONSULT));
    Joined amy = await(s.join(ParticipantType.AGENT, "Amy", "amy", JoinMode.CONSULT));
    // Bob hands the chat to Eve: her seat becomes visible, then he leaves; it never waits.
    await(s.invite(bob.participantId(), bob.secureKey(), "eve", "transfer"));
    await(s.leave(bob.participantId(), bob.secureKey(), ReasonCode.TRANSFERRED_OUT));
    assertThat(engine.waiting()).isEmpty();
    List<Entry> customer = await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(customer)
        .filteredOn(e -> e.type() == EntryType.PARTICIPANT_JOINED)
        .extracting(Entry::nickname)
        .containsExactly("Ann", "Bob", "Eve");
    Entry typing = await(s.typing(eve.participantId(), eve.secureKey(), true));
    assertThat(typing.visibility()).as("the new agent's typing").isEqualTo(Visibility.ALL);
    // Eve leaves too: Amy, a consultant the customer never saw, is no agent: the chat waits.
    await(s.leave(eve.participantId(), eve.secureKey()));
    Awaitility.await().until(() -> !engine.waiting().isEmpty());
    // and a consult without a visible agent to consult with is refused
    await(s.invite(amy.participantId(), amy.secureKey(), "zed", "consult"));
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        s.join(ParticipantType.AGENT, "Zed", "zed", JoinMode.CONSULT, false));
  }

  @Test
  void a_customer_cannot_set_the_interaction_servers_keys() throws Exception {
    startEngine();
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        engine.requestChat("Ann", "billing", java.util.Map.of("hachat.transferTo", "agent-7")));
    Joined c = newChat();
    Session s = session(c);
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        s.updateData(c.participantId(), c.secureKey(), java.util.Map.of("HACHAT.offers", "0")));
    Joined bob = await(s.join(ParticipantType.AGENT, "Bob", "bob"));
    await(
        s.updateData(
            bob.participantId(),
            bob.secureKey(),
            java.util.Map.of("hachat.offers", "2"),
            Visibility.INT));
  }
}
