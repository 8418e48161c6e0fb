package dev.hachat.server.session;

import static dev.hachat.server.testing.ChatFailures.assertFailsWith;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.StoredSession;
import dev.hachat.store.UserData;
import io.vertx.core.Future;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/** updateNickname and updateData: entries, limits, saving, and what agents see. */
class SessionUpdatesTest extends EngineTestBase {

  private List<Entry> visible(Session s, Joined c) throws Exception {
    return await(s.entriesAfter(c.participantId(), c.secureKey(), 0)).entries();
  }

  @Test
  void update_nickname_adds_an_entry_from_the_participant_under_its_new_nickname()
      throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Entry e = await(s.updateNickname(c.participantId(), c.secureKey(), "  Annie  "));
    assertThat(e.index()).isEqualTo(2);
    assertThat(e.type()).isEqualTo(EntryType.NICKNAME_UPDATED);
    assertThat(e.text()).isEqualTo("Annie");
    assertThat(e.nickname()).isEqualTo("Annie");
    assertThat(e.participantId()).isEqualTo(c.participantId());
    assertThat(e.participantType()).isEqualTo(ParticipantType.CLIENT);
    // Later entries carry the new nickname, and so does the waiting chat agents see.
    assertThat(await(s.send(c.participantId(), c.secureKey(), "m1", "hi")).nickname())
        .isEqualTo("Annie");
    assertThat(await(s.summary()).customer()).isEqualTo("Annie");
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(engine.waiting())
                    .extracting(SessionSummary::customer)
                    .containsExactly("Annie"));
  }

  @Test
  void update_nickname_is_saved_with_the_participant_record_in_one_write() throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Awaitility.await().until(() -> await(store.load(c.chatId())).entries().size() == 1);
    store.writes.clear();
    await(s.updateNickname(c.participantId(), c.secureKey(), "Annie"));

    assertThat(store.writes)
        .anySatisfy(
            w -> {
              assertThat(w.entries())
                  .extracting(Entry::type)
                  .containsExactly(EntryType.NICKNAME_UPDATED);
              assertThat(w.participants()).singleElement();
              assertThat(w.participants().get(0).nickname()).isEqualTo("Annie");
            });
    StoredSession stored = await(store.load(c.chatId()));
    assertThat(stored.participants().get(c.participantId()).nickname()).isEqualTo("Annie");
  }

  @Test
  void updates_are_acknowledged_only_after_the_store_holds_them() throws Exception {
    transcriptOptions.setTranscriptAutoSave(1);
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Awaitility.await().until(() -> await(store.load(c.chatId())).entries().size() == 1);

    store.gated = true;
    Future<Entry> nick = s.updateNickname(c.participantId(), c.secureKey(), "Annie");
    Future<Entry> data = s.updateData(c.participantId(), c.secureKey(), Map.of("order", "B-2"));
    Awaitility.await().until(() -> store.heldAppends() >= 1);
    assertThat(nick.isComplete()).isFalse();
    assertThat(data.isComplete()).isFalse();
    assertThat(visible(s, c)).hasSize(1);

    store.openGate();
    Entry renamed = await(nick);
    Entry updated = await(data);
    assertThat(await(store.load(c.chatId())).entries()).contains(renamed, updated);
  }

  @Test
  void nickname_is_checked_like_at_join_and_a_refusal_changes_nothing() throws Exception {
    sessionOptions.setMaxNicknameSize(8);
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    assertFailsWith(ErrorCode.BAD_REQUEST, s.updateNickname(c.participantId(), c.secureKey(), ""));
    assertFailsWith(
        ErrorCode.BAD_REQUEST, s.updateNickname(c.participantId(), c.secureKey(), "   "));
    assertFailsWith(
        ErrorCode.BAD_REQUEST, s.updateNickname(c.participantId(), c.secureKey(), "x".repeat(9)));
    assertFailsWith(ErrorCode.FORBIDDEN, s.updateNickname(c.participantId(), "guess", "Eve"));
    assertThat(visible(s, c)).hasSize(1);
    assertThat(await(s.summary()).customer()).isEqualTo("Ann");
    assertThat(await(s.updateNickname(c.participantId(), c.secureKey(), "x".repeat(8))).index())
        .isEqualTo(2);
  }

  @Test
  void a_repeated_update_adds_a_second_identical_entry() throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Entry first = await(s.updateNickname(c.participantId(), c.secureKey(), "Annie"));
    Entry again = await(s.updateNickname(c.participantId(), c.secureKey(), "Annie"));
    assertThat(again.index()).isEqualTo(first.index() + 1);
    assertThat(again.text()).isEqualTo(first.text());
    Entry d1 = await(s.updateData(c.participantId(), c.secureKey(), Map.of("k", "v")));
    Entry d2 = await(s.updateData(c.participantId(), c.secureKey(), Map.of("k", "v")));
    assertThat(d2.text()).isEqualTo(d1.text());
    assertThat(await(s.summary()).userData()).isEqualTo(Map.of("lang", "en", "k", "v"));
  }

  @Test
  void update_data_overlays_the_creation_data_and_agents_see_the_result() throws Exception {
    startEngine();
    List<SessionSummary> announced = new CopyOnWriteArrayList<>();
    engine.addListener(
        new EngineListener() {
          @Override
          public void onWaiting(SessionSummary summary) {
            announced.add(summary);
          }

          @Override
          public void onNoLongerWaiting(String chatId, Why why) {}
        });
    Joined c = newChat();
    Session s = session(c);
    Map<String, String> change = new LinkedHashMap<>();
    change.put("order", "B-2");
    change.put("lang", "fr");
    Entry e = await(s.updateData(c.participantId(), c.secureKey(), change));
    assertThat(e.type()).isEqualTo(EntryType.USER_DATA_UPDATED);
    assertThat(e.nickname()).isEqualTo("Ann");
    assertThat(e.text()).isEqualTo("{\"order\":\"B-2\",\"lang\":\"fr\"}");
    assertThat(UserData.decode(e.text())).isEqualTo(change);
    await(s.updateData(c.participantId(), c.secureKey(), Map.of("order", "C-3")));

    Map<String, String> expected = Map.of("lang", "fr", "order", "C-3");
    assertThat(await(s.summary()).userData()).isEqualTo(expected);
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(announced)
                    .last()
                    .satisfies(a -> assertThat(a.userData()).isEqualTo(expected)));
    assertThat(engine.waiting())
        .singleElement()
        .satisfies(w -> assertThat(w.userData()).isEqualTo(expected));
    assertThat(await(store.load(c.chatId())).userData()).isEqualTo(expected);
  }

  @Test
  void user_data_is_bounded_and_a_refusal_changes_nothing() throws Exception {
    sessionOptions.getUserData().setMaxKeys(3).setMaxKeySize(5).setMaxValueSize(10);
    startEngine();
    Joined c = newChat(); // lang=en
    Session s = session(c);
    String pid = c.participantId();
    String key = c.secureKey();
    assertFailsWith(ErrorCode.BAD_REQUEST, s.updateData(pid, key, Map.of()));
    assertFailsWith(ErrorCode.BAD_REQUEST, s.updateData(pid, key, Map.of("", "v")));
    assertFailsWith(ErrorCode.BAD_REQUEST, s.updateData(pid, key, Map.of("toolong", "v")));
    assertFailsWith(
        ErrorCode.MESSAGE_TOO_LARGE, s.updateData(pid, key, Map.of("k", "x".repeat(11))));
    assertFailsWith(
        ErrorCode.BAD_REQUEST, s.updateData(pid, key, Map.of("a", "1", "b", "2", "c", "3")));
    assertFailsWith(ErrorCode.FORBIDDEN, s.updateData(pid, "guess", Map.of("a", "1")));
    assertThat(visible(s, c)).hasSize(1);
    assertThat(await(s.summary()).userData()).isEqualTo(Map.of("lang", "en"));

    // Changing existing keys does not count against max-keys.
    await(s.updateData(pid, key, Map.of("a", "1", "b", "x".repeat(10))));
    await(s.updateData(pid, key, Map.of("lang", "de", "a", "2")));
    assertThat(await(s.summary()).userData())
        .isEqualTo(Map.of("lang", "de", "a", "2", "b", "x".repeat(10)));
    // The same bounds hold at chat request.
    assertFailsWith(
        ErrorCode.BAD_REQUEST,
        engine.requestChat("Bea", "", Map.of("a", "1", "b", "2", "c", "3", "d", "4")));
    assertFailsWith(
        ErrorCode.MESSAGE_TOO_LARGE, engine.requestChat("Bea", "", Map.of("a", "x".repeat(11))));
    assertThat(engine.activeSessions()).isEqualTo(1);
  }

  @Test
  void updates_need_an_open_chat_and_a_present_participant() throws Exception {
    startEngine();
    Joined c = newChat();
    Session s = session(c);
    Joined a = await(s.join(ParticipantType.AGENT, "Bob"));
    Joined sup = await(s.join(ParticipantType.SUPERVISOR, "Sue"));
    await(s.leave(a.participantId(), a.secureKey()));
    assertFailsWith(
        ErrorCode.PARTICIPANT_LEFT, s.updateNickname(a.participantId(), a.secureKey(), "Rob"));
    assertThat(await(s.updateNickname(sup.participantId(), sup.secureKey(), "Susan")).nickname())
        .isEqualTo("Susan");
    await(s.leave(c.participantId(), c.secureKey()));
    assertFailsWith(
        ErrorCode.CHAT_ENDED, s.updateData(sup.participantId(), sup.secureKey(), Map.of("k", "v")));
    assertFailsWith(
        ErrorCode.CHAT_ENDED, s.updateNickname(sup.participantId(), sup.secureKey(), "Sue"));
  }
}
