package dev.hachat.server.session;

import static dev.hachat.server.testing.ChatFailures.assertFailsWith;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Restore and fencing with several engines in one JVM sharing the in-memory store and registry, and
 * one hand-moved monotonic clock (the real multi-process tests run against Cassandra). The
 * quarantine (R7) and the gracefully stopped owner: {@link RestoreQuarantineTest}.
 */
class RestoreTest extends ClusterTestBase {
  {
    nodes.addressesOn("127.0.0.1");
    store.plainWrites = true; // as with Cassandra: only the lease stops a stale owner (R2)
  }

  @Test
  void restores_session_on_survivor_after_owner_dies() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
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
    assertThat(t.get(4).clientMessageId()).isEqualTo(RestoreNotice.TAG_INTERRUPTED);
    assertThat(RestoreNotice.is(t.get(4))).isTrue();
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

  /**
   * Found by the networked chaos loop: a participant record in the store without its join entry in
   * the transcript (the owner's last save landed past the claimant's base, or an older version
   * saved the record and the join apart and died between them) held a seat after the restore, so
   * the agent's accept, retried on the survivor, was refused ALREADY_TAKEN and the chat never
   * waited for an agent again.
   */
  @Test
  void a_participant_record_without_its_join_in_the_transcript_holds_no_seat_after_a_restore()
      throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    Session onA = await(a.engine().find(c.chatId()));
    await(onA.send(c.participantId(), c.secureKey(), "m1", "hello"));
    // The agent's seat reached the store, its join entry did not (a dies in between).
    dev.hachat.store.ParticipantRecord seat =
        new dev.hachat.store.ParticipantRecord(
            "p-agent", ParticipantType.AGENT, "Bob", "hash", 1, false, "agent-7");
    await(store.append(c.chatId(), 1, List.of(), List.of(seat)));

    advance(ha.getHeartbeatTimeout() + 1000, b);
    Session onB = await(b.engine().find(c.chatId()));
    Joined agent = await(onB.join(ParticipantType.AGENT, "Bob", "agent-7"));
    assertThat(await(onB.send(agent.participantId(), agent.secureKey(), "r1", "hi Ann")).index())
        .isGreaterThan(2);
  }

  @Test
  void a_restore_tells_the_engine_listeners_where_the_chat_lives_now() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
    List<String> located = new java.util.concurrent.CopyOnWriteArrayList<>();
    b.engine()
        .addListener(
            new EngineListener() {
              @Override
              public void onWaiting(SessionSummary summary) {}

              @Override
              public void onNoLongerWaiting(String chatId, Why why) {}

              @Override
              public void onLocated(String chatId, long epoch) {
                located.add(chatId + "@" + epoch);
              }
            });
    Joined c = await(a.engine().requestChat("Ann", "billing", Map.of()));
    advance(ha.getHeartbeatTimeout() + 1000, b); // a died
    await(b.engine().find(c.chatId()));
    assertThat(located).containsExactly(c.chatId() + "@2");
  }

  /** Three instances, a chat on cs-a; its heir among cs-b and cs-c, and the other survivor. */
  private record Orphan(InProcessNode b, InProcessNode c, Joined chat, InProcessNode heir) {
    InProcessNode other() {
      return heir == b ? c : b;
    }
  }

  private Orphan chatOnA() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    InProcessNode c = node("cs-c");
    advance(ha.quarantineMillis(), a, b, c);
    Joined chat = await(a.engine().requestChat("Ann", "billing", Map.of()));
    String heirId =
        dev.hachat.store.Rendezvous.pick(chat.chatId(), List.of("cs-b", "cs-c"), id -> id)
            .orElseThrow();
    return new Orphan(b, c, chat, heirId.equals("cs-b") ? b : c);
  }

  private static ChatException redirect(Future<Session> f) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> await(f));
    assertThat(t).isInstanceOf(ChatException.class);
    assertThat(((ChatException) t).code()).isEqualTo(ErrorCode.NOT_OWNER);
    return (ChatException) t;
  }

  @Test
  void an_orphaned_chat_is_restored_by_one_heir_and_the_other_survivor_sends_its_clients_there()
      throws Exception {
    Orphan o = chatOnA();
    advance(ha.getHeartbeatTimeout() + 1000, o.b(), o.c()); // a died
    String chatId = o.chat().chatId();
    assertThat(redirect(o.other().engine().find(chatId)).details().getString("owner"))
        .isEqualTo(o.heir().id());
    assertThat(o.other().kpi().toJson().getLong("session_restored")).isZero();

    Session onHeir = await(o.heir().engine().find(chatId));
    assertThat(onHeir.id()).isEqualTo(chatId);
    assertThat(o.heir().kpi().toJson().getLong("session_restored")).isEqualTo(1);
    assertFailsWith(ErrorCode.NOT_OWNER, o.other().engine().find(chatId));
  }

  @Test
  void a_survivor_that_remembered_the_owner_sends_its_clients_to_the_heir_without_a_load()
      throws Exception {
    Orphan o = chatOnA();
    String chatId = o.chat().chatId();
    // a falls silent; half a timeout later it is still alive and the other survivor learns that
    // it owns the chat (as it does from a client that retries there after a kill)
    advance(ha.getHeartbeatTimeout() / 2, o.b(), o.c());
    assertFailsWith(ErrorCode.NOT_OWNER, o.other().engine().find(chatId));
    advance(ha.getHeartbeatTimeout() / 2 + 1000, o.b(), o.c()); // a died; what was learned holds
    int loads = store.loadCalls.get();
    assertThat(redirect(o.other().engine().find(chatId)).details().getString("owner"))
        .isEqualTo(o.heir().id());
    assertThat(store.loadCalls.get()).isEqualTo(loads);
  }

  @Test
  void update_nickname_and_merged_user_data_survive_restore() throws Exception {
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
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
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
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
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    InProcessNode d = node("cs-d");
    advance(ha.quarantineMillis(), a, b, d);
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
    InProcessNode a = node("cs-a");
    InProcessNode b = node("cs-b");
    advance(ha.quarantineMillis(), a, b);
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
