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
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SessionEngineTest extends EngineTestBase {

  @BeforeEach
  void start() throws Exception {
    startEngine();
  }

  @Test
  void request_chat_returns_credentials_and_the_customer_join() throws Exception {
    Joined j = newChat();
    assertThat(j.chatId()).hasSizeGreaterThanOrEqualTo(22); // 128 random bits, base64url
    assertThat(j.secureKey()).hasSizeGreaterThanOrEqualTo(22);
    assertThat(j.type()).isEqualTo(ParticipantType.CLIENT);
    assertThat(j.entries())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.type()).isEqualTo(EntryType.PARTICIPANT_JOINED);
              assertThat(e.nickname()).isEqualTo("Ann");
            });
    assertThat(j.nextPosition()).isEqualTo(2);
    assertThat(engine.activeSessions()).isEqualTo(1);
    // the waiting list is filled on the session's loop just after the join is acknowledged
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(engine.waiting())
                    .extracting(SessionSummary::chatId)
                    .containsExactly(j.chatId()));
  }

  @Test
  void indexes_grow_by_one_across_every_kind_of_entry() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    Joined a = await(s.join(ParticipantType.AGENT, "Bob"));
    await(s.typing(c.participantId(), c.secureKey(), true));
    await(s.send(c.participantId(), c.secureKey(), "m1", "hello"));
    await(s.typing(c.participantId(), c.secureKey(), false));
    await(s.send(a.participantId(), a.secureKey(), "r1", "hi Ann"));
    await(s.customNotice(a.participantId(), a.secureKey(), "n1", "survey"));

    List<Entry> all = await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
    assertThat(all).extracting(Entry::index).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    assertThat(all)
        .extracting(Entry::type)
        .containsExactly(
            EntryType.PARTICIPANT_JOINED,
            EntryType.PARTICIPANT_JOINED,
            EntryType.TYPING_STARTED,
            EntryType.MESSAGE,
            EntryType.TYPING_STOPPED,
            EntryType.MESSAGE,
            EntryType.CUSTOM_NOTICE);
    assertThat(all.get(3).clientMessageId()).isEqualTo("m1");
    assertThat(all.get(5).participantType()).isEqualTo(ParticipantType.AGENT);
  }

  @Test
  void concurrent_sends_get_distinct_gap_free_indexes() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    List<Future<Entry>> sends = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      sends.add(s.send(c.participantId(), c.secureKey(), "m" + i, "text " + i));
    }
    List<Long> indexes = new ArrayList<>();
    for (Future<Entry> f : sends) {
      indexes.add(await(f).index());
    }
    assertThat(indexes).doesNotHaveDuplicates().hasSize(200);
    assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries())
        .extracting(Entry::index)
        .isEqualTo(java.util.stream.LongStream.rangeClosed(1, 201).boxed().toList());
  }

  @Test
  void send_retry_with_same_client_message_id_returns_first_entry() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    Entry first = await(s.send(c.participantId(), c.secureKey(), "m1", "hello"));
    Entry again = await(s.send(c.participantId(), c.secureKey(), "m1", "hello"));
    assertThat(again).isEqualTo(first);
    assertThat(await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries()).hasSize(2);
    assertThat(kpi.toJson().getLong("messages_duplicate")).isEqualTo(1);
  }

  @Test
  void same_client_message_id_from_two_participants_is_two_messages() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    Joined a = await(s.join(ParticipantType.AGENT, "Bob"));
    Entry e1 = await(s.send(c.participantId(), c.secureKey(), "1", "from Ann"));
    Entry e2 = await(s.send(a.participantId(), a.secureKey(), "1", "from Bob"));
    assertThat(e2.index()).isEqualTo(e1.index() + 1);
  }

  @Test
  void second_agent_gets_already_taken_and_a_supervisor_may_observe() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    Future<Joined> a1 = s.join(ParticipantType.AGENT, "Bob");
    Future<Joined> a2 = s.join(ParticipantType.AGENT, "Eve");
    int won = 0;
    for (Future<Joined> f : List.of(a1, a2)) {
      try {
        await(f);
        won++;
      } catch (dev.hachat.common.error.ChatException e) {
        assertThat(e.code()).isEqualTo(ErrorCode.ALREADY_TAKEN);
      }
    }
    assertThat(won).isEqualTo(1);
    assertThat(engine.waiting()).isEmpty();
    Joined sup = await(s.join(ParticipantType.SUPERVISOR, "Sue"));
    assertThat(sup.type()).isEqualTo(ParticipantType.SUPERVISOR);
  }

  @Test
  void agent_leaving_puts_the_chat_back_in_the_waiting_list() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    Joined a = await(s.join(ParticipantType.AGENT, "Bob"));
    assertThat(engine.waiting()).isEmpty();
    await(s.leave(a.participantId(), a.secureKey()));
    org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(engine.waiting()).hasSize(1));
    assertFailsWith(ErrorCode.PARTICIPANT_LEFT, s.send(a.participantId(), a.secureKey(), "x", "y"));
    Joined next = await(s.join(ParticipantType.AGENT, "Eve"));
    assertThat(next.participantId()).isNotEqualTo(a.participantId());
    assertFailsWith(
        ErrorCode.PARTICIPANT_LEFT,
        s.end(a.participantId(), a.secureKey(), ReasonCode.AGENT_CLOSED));
  }

  @Test
  void wrong_secure_key_or_participant_is_forbidden_and_harmless() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    assertFailsWith(ErrorCode.FORBIDDEN, s.send(c.participantId(), "nope", "m1", "x"));
    assertFailsWith(ErrorCode.FORBIDDEN, s.send("nobody", c.secureKey(), "m1", "x"));
    assertFailsWith(ErrorCode.FORBIDDEN, s.send(null, null, "m1", "x"));
    assertFailsWith(ErrorCode.FORBIDDEN, s.entriesAfter(c.participantId(), "", 0));
    assertThat(await(s.send(c.participantId(), c.secureKey(), "m1", "x")).index()).isEqualTo(2);
  }

  @Test
  void unknown_chat_is_not_found() {
    assertFailsWith(ErrorCode.CHAT_NOT_FOUND, engine.find("no-such-chat"));
    assertFailsWith(ErrorCode.CHAT_NOT_FOUND, engine.find(null));
  }

  @Test
  void message_limits_are_typed_errors() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    String tooLong = "x".repeat(sessionOptions.getMaxMessageSize() + 1);
    assertFailsWith(
        ErrorCode.MESSAGE_TOO_LARGE, s.send(c.participantId(), c.secureKey(), "m1", tooLong));
    assertFailsWith(ErrorCode.BAD_REQUEST, s.send(c.participantId(), c.secureKey(), "m1", ""));
    assertFailsWith(ErrorCode.BAD_REQUEST, s.send(c.participantId(), c.secureKey(), "", "x"));
    assertFailsWith(ErrorCode.BAD_REQUEST, s.send(c.participantId(), c.secureKey(), null, "x"));
    String exact = "y".repeat(sessionOptions.getMaxMessageSize());
    assertThat(await(s.send(c.participantId(), c.secureKey(), "m1", exact)).text())
        .isEqualTo(exact);
    assertFailsWith(ErrorCode.BAD_REQUEST, engine.requestChat("  ", "s", Map.of()));
    assertFailsWith(ErrorCode.BAD_REQUEST, engine.requestChat("n".repeat(65), "s", Map.of()));
  }

  @Test
  void session_limit_rejects_then_frees_a_slot_on_close() throws Exception {
    sessionOptions.setLimitForSessions(2);
    Joined first = newChat();
    newChat();
    assertFailsWith(ErrorCode.SESSION_LIMIT_REACHED, engine.requestChat("C", "", Map.of()));
    assertThat(kpi.toJson().getLong("session_rejected")).isEqualTo(1);
    await(session(first).leave(first.participantId(), first.secureKey()));
    assertThat(newChat().chatId()).isNotNull();
    assertThat(engine.activeSessions()).isEqualTo(2);
  }

  @Test
  void participant_limit_is_enforced() throws Exception {
    sessionOptions.setMaxParticipants(3);
    Joined c = newChat();
    Session s = session(c);
    await(s.join(ParticipantType.AGENT, "Bob"));
    await(s.join(ParticipantType.SUPERVISOR, "Sue"));
    assertFailsWith(ErrorCode.TOO_MANY_PARTICIPANTS, s.join(ParticipantType.SUPERVISOR, "Sam"));
  }

  @Test
  void customer_disconnect_ends_the_chat_and_later_requests_get_chat_ended() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    Joined a = await(s.join(ParticipantType.AGENT, "Bob"));
    List<CloseInfo> closes = new CopyOnWriteArrayList<>();
    await(s.subscribe(a.participantId(), a.secureKey(), 0, recorder(new ArrayList<>(), closes)));
    await(s.leave(c.participantId(), c.secureKey()));

    assertThat(closes)
        .extracting(CloseInfo::reason)
        .containsExactly(ReasonCode.CUSTOMER_LEFT.name());
    assertFailsWith(ErrorCode.CHAT_ENDED, s.send(a.participantId(), a.secureKey(), "r", "hello?"));
    assertFailsWith(ErrorCode.CHAT_ENDED, s.join(ParticipantType.AGENT, "Eve"));
    Transcript t = await(s.entriesAfter(a.participantId(), a.secureKey(), 0));
    assertThat(t.chatEnded()).isTrue();
    assertThat(t.entries()).last().extracting(Entry::type).isEqualTo(EntryType.PARTICIPANT_LEFT);
    assertThat(engine.activeSessions()).isZero();
    assertThat(kpi.toJson().getLong("session_closed")).isEqualTo(1);
  }

  @Test
  void agent_end_and_interaction_stop_close_the_chat_with_their_reason() throws Exception {
    Joined c1 = newChat();
    Session s1 = session(c1);
    Joined a = await(s1.join(ParticipantType.AGENT, "Bob"));
    await(s1.end(a.participantId(), a.secureKey(), ReasonCode.AGENT_CLOSED));
    assertThat(await(store.load(c1.chatId())).closed().reason())
        .isEqualTo(ReasonCode.AGENT_CLOSED.name());

    Joined c2 = newChat();
    Session s2 = session(c2);
    await(s2.close(ReasonCode.INTERACTION_STOPPED));
    assertThat(await(store.load(c2.chatId())).closed().reason())
        .isEqualTo(ReasonCode.INTERACTION_STOPPED.name());
    assertFailsWith(ErrorCode.CHAT_ENDED, s2.typing(c2.participantId(), c2.secureKey(), true));
    assertThat(engine.waiting()).isEmpty();
  }

  @Test
  void an_agent_end_after_the_agent_left_still_closes_the_chat() throws Exception {
    // The state a restore finds when the owner died between the agent's leave and the close.
    Joined c = newChat();
    Session s = session(c);
    Joined a = await(s.join(ParticipantType.AGENT, "Bob"));
    await(s.leave(a.participantId(), a.secureKey()));
    assertThat(await(store.load(c.chatId())).isClosed()).isFalse();

    await(s.end(a.participantId(), a.secureKey(), ReasonCode.AGENT_CLOSED));

    assertThat(await(store.load(c.chatId())).closed().reason())
        .isEqualTo(ReasonCode.AGENT_CLOSED.name());
    assertFailsWith(
        ErrorCode.CHAT_ENDED, s.end(a.participantId(), a.secureKey(), ReasonCode.AGENT_CLOSED));
  }

  @Test
  void subscribe_replays_after_position_then_follows_without_gap_or_duplicate() throws Exception {
    Joined c = newChat();
    Session s = session(c);
    for (int i = 0; i < 5; i++) {
      await(s.send(c.participantId(), c.secureKey(), "a" + i, "before " + i));
    }
    List<Entry> got = new CopyOnWriteArrayList<>();
    // Sends race with the subscription: whatever the interleaving, no gap and no duplicate.
    List<Future<Entry>> racing = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      racing.add(s.send(c.participantId(), c.secureKey(), "b" + i, "during " + i));
      if (i == 10) {
        await(s.subscribe(c.participantId(), c.secureKey(), 3, recorder(got, new ArrayList<>())));
      }
    }
    for (Future<Entry> f : racing) {
      await(f);
    }
    org.awaitility.Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(got)
                    .extracting(Entry::index)
                    .isEqualTo(java.util.stream.LongStream.rangeClosed(4, 26).boxed().toList()));
  }

  static SessionListener recorder(List<Entry> entries, List<CloseInfo> closes) {
    return new SessionListener() {
      @Override
      public void onEntry(Session session, Entry entry) {
        entries.add(entry);
      }

      @Override
      public void onClosed(Session session, CloseInfo info) {
        closes.add(info);
      }
    };
  }
}
