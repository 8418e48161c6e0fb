package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.WaitingChat;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import io.vertx.core.Future;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class EspPortTest extends EspTestBase {

  @Test
  void full_chat_between_customer_and_agent() throws Exception {
    EspClient bob = agent("a1", "Bob");
    List<Entry> seen = new CopyOnWriteArrayList<>();
    bob.onEntry((chatId, e) -> seen.add(e));
    Joined c = customer();
    Session s = session(c);

    AcceptedChat chat = await(bob.accept(c.chatId()));
    assertThat(chat.entries())
        .extracting(Entry::type)
        .containsExactly(EntryType.PARTICIPANT_JOINED, EntryType.PARTICIPANT_JOINED);
    assertThat(chat.nextPosition()).isEqualTo(3);

    await(s.send(c.participantId(), c.secureKey(), "m1", "my invoice is wrong"));
    Awaitility.await()
        .untilAsserted(
            () -> assertThat(seen).extracting(Entry::text).contains("my invoice is wrong"));

    Entry reply = await(bob.send(c.chatId(), "r1", "let me look"));
    assertThat(reply.participantType()).isEqualTo(ParticipantType.AGENT);
    assertThat(reply.nickname()).isEqualTo("Bob");
    List<Entry> customerView = await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(customerView).extracting(Entry::text).contains("let me look");
    assertThat(seen).extracting(Entry::index).containsExactly(3L, 4L);
  }

  @Test
  void new_chat_is_announced_and_withdrawn_once_accepted() throws Exception {
    EspClient bob = agent("a1", "Bob");
    EspClient eve = agent("a2", "Eve");
    List<WaitingChat> waiting = new CopyOnWriteArrayList<>();
    List<String> gone = new CopyOnWriteArrayList<>();
    eve.onChatWaiting(waiting::add).onWaitingEnded((id, why) -> gone.add(id + ":" + why));
    Joined c = customer();
    Awaitility.await()
        .untilAsserted(
            () -> assertThat(waiting).extracting(WaitingChat::chatId).containsExactly(c.chatId()));
    assertThat(waiting.get(0).customer()).isEqualTo("Ann");
    assertThat(waiting.get(0).userData()).containsEntry("order", "A-17");
    assertThat(await(bob.listWaiting()))
        .extracting(WaitingChat::chatId)
        .containsExactly(c.chatId());

    await(bob.accept(c.chatId()));
    Awaitility.await()
        .untilAsserted(() -> assertThat(gone).containsExactly(c.chatId() + ":accepted"));
    assertThat(await(eve.listWaiting())).isEmpty();
  }

  @Test
  void an_agent_closing_a_chat_never_puts_it_back_on_the_waiting_list() throws Exception {
    EspClient bob = agent("a1", "Bob");
    EspClient eve = agent("a2", "Eve");
    List<String> events = new CopyOnWriteArrayList<>();
    eve.onChatWaiting(w -> events.add("waiting"))
        .onWaitingEnded((id, why) -> events.add("ended:" + why));
    Joined c = customer();
    Awaitility.await().untilAsserted(() -> assertThat(events).containsExactly("waiting"));
    await(bob.accept(c.chatId()));
    await(bob.close(c.chatId()));
    await(eve.ping()); // every event sent before this reply has arrived
    assertThat(events).containsExactly("waiting", "ended:accepted");
  }

  @Test
  void two_agents_accepting_at_once_one_wins_the_other_gets_already_taken() throws Exception {
    for (int round = 0; round < 10; round++) {
      EspClient bob = agent("a1", "Bob");
      EspClient eve = agent("a2", "Eve");
      Joined c = customer();
      Future<AcceptedChat> f1 = bob.accept(c.chatId());
      Future<AcceptedChat> f2 = eve.accept(c.chatId());
      int won = 0;
      for (Future<AcceptedChat> f : List.of(f1, f2)) {
        try {
          await(f);
          won++;
        } catch (ChatException e) {
          assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_TAKEN);
        }
      }
      assertThat(won).isEqualTo(1);
      long agents =
          await(session(c).entriesAfter(c.participantId(), c.secureKey(), 0)).entries().stream()
              .filter(e -> e.participantType() == ParticipantType.AGENT)
              .count();
      assertThat(agents).isEqualTo(1);
    }
  }

  @Test
  void supervisor_observes_and_sees_both_sides() throws Exception {
    EspClient bob = agent("a1", "Bob");
    EspClient sue = agent("s1", "Sue");
    List<String> sueSees = new CopyOnWriteArrayList<>();
    sue.onEntry((chat, e) -> sueSees.add(e.text()));
    Joined c = customer();
    await(bob.accept(c.chatId()));
    AcceptedChat observed = await(sue.observe(c.chatId()));
    assertThat(observed.entries())
        .last()
        .extracting(Entry::participantType)
        .isEqualTo(ParticipantType.SUPERVISOR);
    await(session(c).send(c.participantId(), c.secureKey(), "m1", "hello"));
    await(bob.send(c.chatId(), null, "hi"));
    Awaitility.await().untilAsserted(() -> assertThat(sueSees).contains("hello", "hi"));
  }

  @Test
  void typing_and_idempotent_send() throws Exception {
    EspClient bob = agent("a1", "Bob");
    Joined c = customer();
    await(bob.accept(c.chatId()));
    assertThat(await(bob.typing(c.chatId(), true)).type()).isEqualTo(EntryType.TYPING_STARTED);
    Entry first = await(bob.send(c.chatId(), "r1", "hello"));
    Entry again = await(bob.send(c.chatId(), "r1", "hello"));
    assertThat(again).isEqualTo(first);
    assertThat(await(bob.typing(c.chatId(), false)).index()).isEqualTo(first.index() + 1);
  }

  @Test
  void agent_leaves_and_another_accepts() throws Exception {
    EspClient bob = agent("a1", "Bob");
    EspClient eve = agent("a2", "Eve");
    Joined c = customer();
    await(bob.accept(c.chatId()));
    assertFailsWith(ErrorCode.ALREADY_TAKEN, eve.accept(c.chatId()));
    await(bob.leave(c.chatId()));
    AcceptedChat taken = await(eve.accept(c.chatId()));
    assertThat(taken.entries())
        .extracting(Entry::type)
        .containsSubsequence(EntryType.PARTICIPANT_LEFT, EntryType.PARTICIPANT_JOINED);
    assertFailsWith(ErrorCode.FORBIDDEN, bob.send(c.chatId(), null, "I left"));
  }

  @Test
  void agent_close_ends_the_chat_for_everyone() throws Exception {
    EspClient bob = agent("a1", "Bob");
    List<String> closed = new CopyOnWriteArrayList<>();
    bob.onChatClosed((chat, reason) -> closed.add(reason));
    Joined c = customer();
    await(bob.accept(c.chatId()));
    await(bob.close(c.chatId()));
    Awaitility.await().untilAsserted(() -> assertThat(closed).containsExactly("AGENT_CLOSED"));
    assertThat(await(session(c).entriesAfter(c.participantId(), c.secureKey(), 0)).chatEnded())
        .isTrue();
    assertFailsWith(ErrorCode.CHAT_ENDED, bob.send(c.chatId(), null, "too late"));
  }

  @Test
  void interaction_stopped_closes_without_joining() throws Exception {
    EspClient ixn = agent("ixn", "Workflow");
    Joined c = customer();
    await(ixn.interactionStopped(c.chatId()));
    assertThat(await(session(c).entriesAfter(c.participantId(), c.secureKey(), 0)).chatEnded())
        .isTrue();
    assertFailsWith(ErrorCode.CHAT_NOT_FOUND, ixn.interactionStopped("no-such-chat"));
  }

  @Test
  void attach_after_reconnect_resumes_without_gap_or_duplicate() throws Exception {
    EspClient bob = agent("a1", "Bob");
    Joined c = customer();
    Session s = session(c);
    AcceptedChat chat = await(bob.accept(c.chatId()));
    await(bob.disconnect());
    for (int i = 0; i < 5; i++) {
      await(s.send(c.participantId(), c.secureKey(), "m" + i, "while away " + i));
    }
    EspClient again = agent("a1", "Bob");
    List<Long> got = new CopyOnWriteArrayList<>();
    again.onEntry((id, e) -> got.add(e.index()));
    await(
        again.attach(c.chatId(), chat.participantId(), chat.secureKey(), chat.nextPosition() - 1));
    for (int i = 5; i < 10; i++) {
      await(s.send(c.participantId(), c.secureKey(), "m" + i, "back " + i));
    }
    Awaitility.await()
        .untilAsserted(
            () -> assertThat(got).isEqualTo(LongStream.rangeClosed(3, 12).boxed().toList()));
    assertThat(await(again.send(c.chatId(), null, "sorry, back")).index()).isEqualTo(13);
    assertFailsWith(
        ErrorCode.FORBIDDEN, again.attach(c.chatId(), chat.participantId(), "wrong", 0));
  }
}
