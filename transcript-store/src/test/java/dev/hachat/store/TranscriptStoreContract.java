package dev.hachat.store;

import static dev.hachat.store.StoreCases.message;
import static dev.hachat.store.StoreCases.newId;
import static dev.hachat.store.StoreCases.participant;
import static dev.hachat.store.StoreCases.session;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.store.spi.TranscriptStore;
import dev.hachat.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TranscriptStore} backend must have. A backend's test extends this
 * class and implements {@link #createStore}; nothing else may be overridden, so every backend
 * passes the same tests.
 */
public abstract class TranscriptStoreContract implements OwnerIndexCases, OutboxCases {

  protected Vertx vertx;
  protected TranscriptStore store;

  /** Returns a store that is empty or at least holds no session these tests create. */
  protected abstract TranscriptStore createStore(Vertx vertx) throws Exception;

  @Override
  public final TranscriptStore store() {
    return store;
  }

  @BeforeEach
  final void setUpStore() throws Exception {
    vertx = Vertx.vertx();
    store = createStore(vertx);
  }

  @AfterEach
  final void tearDownStore() throws Exception {
    await(store.shutdown(), SETUP_TIMEOUT);
    await(vertx.close());
  }

  /**
   * How long {@link #createStore} may take to connect and create the schema; each request after
   * that is bounded by the backend's own request timeout, well within {@link Await}'s default.
   */
  protected static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  @Test
  void created_session_loads_empty_at_epoch_1() throws Exception {
    String id = newId();
    Ownership o = await(store.create(session(id), "cs-a"));
    assertThat(o).isEqualTo(new Ownership(id, "cs-a", 1, 0, false));

    StoredSession s = await(store.load(id));
    assertThat(s.session()).isEqualTo(session(id));
    assertThat(s.ownership()).isEqualTo(o);
    assertThat(s.entries()).isEmpty();
    assertThat(s.participants()).isEmpty();
    assertThat(s.closed()).isNull();
    assertThat(s.lastIndex()).isZero();
  }

  @Test
  void creating_an_existing_session_fails_already_exists() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    assertThatThrownBy(() -> await(store.create(session(id), "cs-b")))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.ALREADY_EXISTS));
    assertThat(await(store.load(id)).ownership().owner()).isEqualTo("cs-a");
  }

  @Test
  void unknown_session_fails_not_found() {
    String id = newId();
    assertThatThrownBy(() -> await(store.load(id)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.NOT_FOUND));
    assertThatThrownBy(() -> await(store.append(id, 1, List.of(message(1, "x")), List.of())))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.NOT_FOUND));
  }

  @Test
  void appended_entries_round_trip_in_index_order() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    List<Entry> written = new ArrayList<>();
    long i = 1;
    for (EntryType type : EntryType.values()) {
      written.add(
          new Entry(
              i,
              type,
              "p" + i,
              "Zoë ✓",
              ParticipantType.AGENT,
              "text «" + i + "» 😀",
              1_700_000_000_123L,
              null));
      i++;
    }
    written.add(message(i, "with id"));
    // Two writes, the second one first in the list order of the call: order comes from index.
    await(store.append(id, 1, written.subList(0, 4), List.of()));
    await(store.append(id, 1, written.subList(4, written.size()), List.of()));

    assertThat(await(store.load(id)).entries()).containsExactlyElementsOf(written);
  }

  @Test
  void a_join_entry_keeps_its_client_message_id() throws Exception {
    // An agent's join carries its holder tag there; a restore needs it back (re-accept).
    String id = newId();
    await(store.create(session(id), "cs-a"));
    Entry join =
        new Entry(
            1,
            EntryType.PARTICIPANT_JOINED,
            "a1",
            "Bob",
            ParticipantType.AGENT,
            "",
            9,
            "holder:ab12");
    await(store.append(id, 1, List.of(join), List.of(participant("a1", ParticipantType.AGENT))));
    assertThat(await(store.load(id)).entries()).containsExactly(join);
  }

  @Test
  void an_internal_entry_keeps_its_visibility_and_others_read_as_all() throws Exception {
    // A consult line between agents must stay hidden from the customer after a restore.
    String id = newId();
    await(store.create(session(id), "cs-a"));
    Entry consult =
        new Entry(
            1,
            EntryType.MESSAGE,
            "a1",
            "Bob",
            ParticipantType.AGENT,
            "between us",
            9,
            "m-1",
            Visibility.INT);
    await(store.append(id, 1, List.of(consult, message(2, "for all")), List.of()));
    List<Entry> loaded = await(store.load(id)).entries();
    assertThat(loaded).containsExactly(consult, message(2, "for all"));
    assertThat(loaded)
        .extracting(Entry::visibility)
        .containsExactly(Visibility.INT, Visibility.ALL);
  }

  @Test
  void rewriting_the_same_entries_is_idempotent() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    List<Entry> batch = List.of(message(1, "a"), message(2, "b"));
    await(store.append(id, 1, batch, List.of()));
    await(store.append(id, 1, batch, List.of()));
    await(store.append(id, 1, List.of(message(2, "b"), message(3, "c")), List.of()));

    assertThat(await(store.load(id)).entries())
        .containsExactly(message(1, "a"), message(2, "b"), message(3, "c"));
  }

  @Test
  void many_entries_keep_their_order() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    List<Entry> all = new ArrayList<>();
    for (int i = 1; i <= 300; i++) {
      all.add(message(i, "message " + i));
    }
    for (int from = 0; from < all.size(); from += 7) {
      await(store.append(id, 1, all.subList(from, Math.min(all.size(), from + 7)), List.of()));
    }
    StoredSession s = await(store.load(id));
    assertThat(s.entries()).containsExactlyElementsOf(all);
    assertThat(s.lastIndex()).isEqualTo(300);
  }

  @Test
  void participants_are_upserted_by_id() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    ParticipantRecord client = participant("c1", ParticipantType.CLIENT);
    ParticipantRecord agent = participant("a1", ParticipantType.AGENT);
    await(store.append(id, 1, List.of(message(1, "hi")), List.of(client)));
    await(store.append(id, 1, List.of(), List.of(agent)));
    await(store.append(id, 1, List.of(), List.of(client.withLeft())));

    Map<String, ParticipantRecord> ps = await(store.load(id)).participants();
    assertThat(ps).containsOnlyKeys("c1", "a1");
    assertThat(ps.get("c1")).isEqualTo(client.withLeft());
    assertThat(ps.get("a1")).isEqualTo(agent);
  }

  @Test
  void an_agent_id_loads_back_with_its_participant_and_leaving_keeps_it() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    ParticipantRecord plain = participant("a1", ParticipantType.AGENT);
    ParticipantRecord agent =
        new ParticipantRecord(
            "a1", ParticipantType.AGENT, "Bob", "hash-a1", plain.joinedAt(), false, "agent-7");
    await(store.append(id, 1, List.of(), List.of(agent)));
    assertThat(await(store.load(id)).participants().get("a1").agentId()).isEqualTo("agent-7");

    await(store.append(id, 1, List.of(), List.of(agent.withLeft())));
    assertThat(await(store.load(id)).participants().get("a1"))
        .isEqualTo(
            new ParticipantRecord(
                "a1", ParticipantType.AGENT, "Bob", "hash-a1", plain.joinedAt(), true, "agent-7"));
  }

  @Test
  void nickname_and_user_data_updates_load_back_with_the_participant_record() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    ParticipantRecord client = participant("c1", ParticipantType.CLIENT);
    await(store.append(id, 1, List.of(message(1, "hi")), List.of(client)));
    Entry renamed =
        new Entry(
            2, EntryType.NICKNAME_UPDATED, "c1", "Annie", ParticipantType.CLIENT, "Annie", 7, null);
    Entry data =
        new Entry(
            3,
            EntryType.USER_DATA_UPDATED,
            "c1",
            "Annie",
            ParticipantType.CLIENT,
            UserData.encode(Map.of("tier", "platinum", "order", "B-2")),
            8,
            null);
    // The rename and its participant record go in one write, as the engine does it.
    await(store.append(id, 1, List.of(renamed), List.of(client.withNickname("Annie"))));
    await(store.append(id, 1, List.of(data), List.of()));

    StoredSession s = await(store.load(id));
    assertThat(s.entries()).containsExactly(message(1, "hi"), renamed, data);
    assertThat(s.participants().get("c1").nickname()).isEqualTo("Annie");
    assertThat(s.userData()).isEqualTo(Map.of("lang", "en", "tier", "platinum", "order", "B-2"));
  }

  @Test
  void claim_is_a_compare_and_set_on_the_epoch() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    await(store.append(id, 1, List.of(message(1, "a")), List.of()));

    Ownership claimed = await(store.claim(id, 1, "cs-b", 1));
    assertThat(claimed).isEqualTo(new Ownership(id, "cs-b", 2, 1, false));

    assertThatThrownBy(() -> await(store.claim(id, 1, "cs-c", 1)))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(StoreErrorKind.CONFLICT);
              assertThat(e.current()).isEqualTo(claimed);
            });
    assertThat(await(store.load(id)).ownership()).isEqualTo(claimed);
  }

  @Test
  void concurrent_claims_of_one_epoch_have_one_winner() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    List<Future<Ownership>> attempts = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      attempts.add(store.claim(id, 1, "cs-" + i, 0));
    }
    int won = 0;
    for (Future<Ownership> f : attempts) {
      try {
        await(f);
        won++;
      } catch (StoreException e) {
        assertThat(e.kind()).isEqualTo(StoreErrorKind.CONFLICT);
      }
    }
    assertThat(won).isEqualTo(1);
    assertThat(await(store.load(id)).ownership().epoch()).isEqualTo(2);
  }

  @Test
  void writes_of_a_superseded_epoch_past_the_base_never_appear() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    await(store.append(id, 1, List.of(message(1, "a"), message(2, "b")), List.of()));
    await(store.claim(id, 1, "cs-b", 2));

    // The stale owner keeps writing: either rejected (FENCED) or invisible.
    try {
      await(store.append(id, 1, List.of(message(3, "stale")), List.of()));
    } catch (StoreException e) {
      assertThat(e.kind()).isEqualTo(StoreErrorKind.FENCED);
    }
    Entry fresh =
        new Entry(3, EntryType.MESSAGE, "p2", "Bob", ParticipantType.AGENT, "fresh", 5, "x");
    await(store.append(id, 2, List.of(fresh), List.of()));
    try {
      await(store.append(id, 1, List.of(message(4, "stale too")), List.of()));
    } catch (StoreException e) {
      assertThat(e.kind()).isEqualTo(StoreErrorKind.FENCED);
    }

    assertThat(await(store.load(id)).entries())
        .containsExactly(message(1, "a"), message(2, "b"), fresh);
  }

  @Test
  void a_participant_record_of_a_superseded_epoch_never_overwrites_a_later_one() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    ParticipantRecord agent = participant("a1", ParticipantType.AGENT);
    await(store.append(id, 1, List.of(message(1, "a")), List.of(agent)));
    await(store.claim(id, 1, "cs-b", 1));
    await(store.append(id, 2, List.of(message(2, "b")), List.of(agent.withLeft())));

    // The old owner's write lands late (its clock ahead, or sent before a pause): it is
    // refused or loses, whatever the writers' clocks say.
    try {
      await(store.append(id, 1, List.of(), List.of(agent.withNickname("stale"))));
    } catch (StoreException e) {
      assertThat(e.kind()).isEqualTo(StoreErrorKind.FENCED);
    }
    assertThat(await(store.load(id)).participants().get("a1")).isEqualTo(agent.withLeft());
  }

  @Test
  void a_participant_record_updated_twice_in_one_epoch_keeps_the_second() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    ParticipantRecord agent = participant("a1", ParticipantType.AGENT);
    await(store.append(id, 1, List.of(), List.of(agent)));
    await(store.append(id, 1, List.of(), List.of(agent.withLeft())));
    assertThat(await(store.load(id)).participants().get("a1")).isEqualTo(agent.withLeft());
  }

  @Test
  void claim_drops_unacknowledged_entries_of_the_old_epoch_past_the_base() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    // Entry 3 reached the store but the claimant only took over up to 2.
    await(
        store.append(id, 1, List.of(message(1, "a"), message(2, "b"), message(3, "c")), List.of()));
    await(store.claim(id, 1, "cs-b", 2));
    assertThat(await(store.load(id)).entries()).containsExactly(message(1, "a"), message(2, "b"));
  }

  @Test
  void release_marks_the_ownership_given_up() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    await(store.release(id, 1));
    assertThat(await(store.load(id)).ownership()).isEqualTo(new Ownership(id, "cs-a", 1, 0, true));

    Ownership next = await(store.claim(id, 1, "cs-b", 0));
    assertThat(next.released()).isFalse();
    assertThatThrownBy(() -> await(store.release(id, 1)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.CONFLICT));
  }

  @Test
  void close_records_the_first_reason_only() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    await(store.append(id, 1, List.of(message(1, "bye")), List.of()));
    await(store.close(id, 1, new CloseInfo("CUSTOMER_LEFT", 42)));
    await(store.close(id, 1, new CloseInfo("INACTIVITY", 43)));

    StoredSession s = await(store.load(id));
    assertThat(s.closed()).isEqualTo(new CloseInfo("CUSTOMER_LEFT", 42));
    assertThat(s.isClosed()).isTrue();
    assertThat(s.entries()).containsExactly(message(1, "bye"));
  }

  @Test
  void delete_removes_the_session_and_is_idempotent() throws Exception {
    String id = newId();
    await(store.create(session(id), "cs-a"));
    await(
        store.append(
            id, 1, List.of(message(1, "a")), List.of(participant("c1", ParticipantType.CLIENT))));
    await(store.delete(id));
    await(store.delete(id));
    assertThatThrownBy(() -> await(store.load(id)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.NOT_FOUND));
    await(store.delete(newId()));
  }

  @Test
  void sessions_are_independent() throws Exception {
    String a = newId();
    String b = newId();
    await(store.create(session(a), "cs-a"));
    await(store.create(session(b), "cs-a"));
    await(store.append(a, 1, List.of(message(1, "in a")), List.of()));
    await(store.claim(b, 1, "cs-b", 0));

    assertThat(await(store.load(a)).entries()).containsExactly(message(1, "in a"));
    assertThat(await(store.load(a)).ownership().epoch()).isEqualTo(1);
    assertThat(await(store.load(b)).entries()).isEmpty();
  }
}
