package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.Ownership;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.UserData;
import dev.hachat.store.Visibility;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.spi.ContactHistory;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The final transcript in a real PostgreSQL: once, complete, in order; typed when down. */
class PgContactHistoryTest {
  static PostgresServer server;
  Vertx vertx;
  ContactHistory history;

  @BeforeAll
  static void startPostgres() throws Exception {
    server = PostgresServer.start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    server.close();
  }

  @BeforeEach
  void connect() throws Exception {
    vertx = Vertx.vertx();
    history =
        await(dev.hachat.store.ContactHistories.postgres(vertx, server.options()), SETUP_TIMEOUT);
  }

  @AfterEach
  void close() throws Exception {
    await(history.shutdown());
    await(vertx.close());
  }

  /** Connecting applies the migrations; each request after that is bounded by 5 s (pool). */
  static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);

  private static Entry joined(long index, String id, String nickname, ParticipantType type) {
    return new Entry(
        index, EntryType.PARTICIPANT_JOINED, id, nickname, type, "", 1_700_000_000_000L, null);
  }

  /** A closed chat of {@code entries} entries: Ann's and Bob's joins, then messages. */
  static StoredSession closedChat(int messages) {
    String id = UUID.randomUUID().toString();
    Map<String, ParticipantRecord> parts = new LinkedHashMap<>();
    parts.put("p1", new ParticipantRecord("p1", ParticipantType.CLIENT, "Ann", "h1", 1000, true));
    parts.put("p2", new ParticipantRecord("p2", ParticipantType.AGENT, "Bob", "h2", 2000, false));
    List<Entry> entries = new ArrayList<>();
    // Their joins first (the final record lists the participants the transcript bears out).
    entries.add(joined(1, "p1", "Ann", ParticipantType.CLIENT));
    entries.add(joined(2, "p2", "Bob", ParticipantType.AGENT));
    for (int i = 3; i <= messages; i++) {
      entries.add(
          new Entry(
              i,
              EntryType.MESSAGE,
              i % 2 == 0 ? "p2" : "p1",
              i % 2 == 0 ? "Bob" : "Ann",
              i % 2 == 0 ? ParticipantType.AGENT : ParticipantType.CLIENT,
              "message " + i,
              1_700_000_000_000L + i,
              "m" + i));
    }
    return new StoredSession(
        new SessionRecord(id, 1_700_000_000_000L, "billing", Map.of("order", "A-17")),
        new Ownership(id, "cs1", 1, 0, false),
        parts,
        entries,
        new CloseInfo("CLIENT_LEFT", 1_700_000_100_000L));
  }

  @Test
  void final_transcript_is_written_once_complete_and_in_order() throws Exception {
    StoredSession chat = closedChat(25);
    assertThat(await(history.writeFinal(chat, "cs1"))).isTrue();
    assertThat(await(history.writeFinal(chat, "cs2")))
        .as("a second write writes nothing")
        .isFalse();

    JsonObject h = await(history.read(chat.session().id()));
    assertThat(h.getString("closeReason")).isEqualTo("CLIENT_LEFT");
    assertThat(h.getString("writtenBy")).isEqualTo("cs1");
    assertThat(h.getJsonObject("userData").getString("order")).isEqualTo("A-17");
    assertThat(h.getJsonArray("participants").size()).isEqualTo(2);
    assertThat(h.getJsonArray("entries").size()).isEqualTo(25);
    assertThat(h.getJsonArray("entries").getJsonObject(1).getString("type"))
        .isEqualTo("ParticipantJoined");
    for (int i = 2; i < 25; i++) {
      JsonObject e = h.getJsonArray("entries").getJsonObject(i);
      assertThat(e.getLong("index")).isEqualTo(i + 1);
      assertThat(e.getString("text")).isEqualTo("message " + (i + 1));
    }
    assertThat(await(history.read("no-such-chat"))).isNull();
  }

  @Test
  void final_record_marks_internal_entries() throws Exception {
    StoredSession chat = closedChat(2);
    List<Entry> entries = new ArrayList<>(chat.entries());
    entries.add(
        new Entry(
            3,
            EntryType.MESSAGE,
            "p2",
            "Bob",
            ParticipantType.AGENT,
            "consult line",
            5,
            "c-1",
            Visibility.INT));
    StoredSession withConsult =
        new StoredSession(
            chat.session(), chat.ownership(), chat.participants(), entries, chat.closed());
    assertThat(await(history.writeFinal(withConsult, "cs1"))).isTrue();
    JsonArray read = await(history.read(chat.session().id())).getJsonArray("entries");
    assertThat(read.getJsonObject(0).getString("visibility")).isEqualTo("All");
    assertThat(read.getJsonObject(2).getString("visibility")).isEqualTo("Int");
  }

  @Test
  void final_record_holds_the_updated_user_data_and_nickname_entries() throws Exception {
    StoredSession chat = closedChat(2);
    List<Entry> entries = new ArrayList<>(chat.entries());
    entries.add(
        new Entry(
            3,
            EntryType.NICKNAME_UPDATED,
            "p1",
            "Annie",
            ParticipantType.CLIENT,
            "Annie",
            5,
            null));
    entries.add(
        new Entry(
            4,
            EntryType.USER_DATA_UPDATED,
            "p1",
            "Annie",
            ParticipantType.CLIENT,
            UserData.encode(Map.of("order", "B-2", "lang", "fr")),
            6,
            null));
    Map<String, ParticipantRecord> parts = new LinkedHashMap<>(chat.participants());
    parts.put("p1", parts.get("p1").withNickname("Annie"));
    StoredSession updated =
        new StoredSession(chat.session(), chat.ownership(), parts, entries, chat.closed());
    assertThat(await(history.writeFinal(updated, "cs1"))).isTrue();

    JsonObject h = await(history.read(chat.session().id()));
    assertThat(h.getJsonObject("userData").getMap())
        .isEqualTo(Map.of("order", "B-2", "lang", "fr"));
    assertThat(h.getJsonArray("participants").getJsonObject(0).getString("nickname"))
        .isEqualTo("Annie");
    assertThat(h.getJsonArray("entries").getJsonObject(2).getString("type"))
        .isEqualTo("NicknameUpdated");
    assertThat(h.getJsonArray("entries").getJsonObject(3).getString("type"))
        .isEqualTo("UserDataUpdated");
  }

  @Test
  void a_participant_record_without_its_join_is_not_in_the_final_record() throws Exception {
    StoredSession chat = closedChat(3);
    Map<String, ParticipantRecord> parts = new LinkedHashMap<>(chat.participants());
    // Saved by an owner whose join entry never made it into the transcript (docs/consistency.md).
    parts.put("p3", new ParticipantRecord("p3", ParticipantType.AGENT, "Eve", "h3", 3000, false));
    StoredSession withGhost =
        new StoredSession(chat.session(), chat.ownership(), parts, chat.entries(), chat.closed());
    assertThat(await(history.writeFinal(withGhost, "cs1"))).isTrue();
    JsonArray read = await(history.read(chat.session().id())).getJsonArray("participants");
    assertThat(read.size()).isEqualTo(2);
    assertThat(read.stream().map(o -> ((JsonObject) o).getString("nickname")))
        .containsExactly("Ann", "Bob");
  }

  @Test
  void concurrent_writers_of_one_chat_write_it_once() throws Exception {
    StoredSession chat = closedChat(10);
    List<Future<Boolean>> writes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      writes.add(history.writeFinal(chat, "cs" + i));
    }
    int wrote = 0;
    for (Future<Boolean> w : writes) {
      wrote += await(w) ? 1 : 0;
    }
    assertThat(wrote).isEqualTo(1);
    assertThat(await(history.read(chat.session().id())).getJsonArray("entries").size())
        .isEqualTo(10);
  }

  @Test
  void an_unreachable_database_is_a_typed_error_and_the_write_succeeds_once_it_is_back()
      throws Exception {
    StoredSession chat = closedChat(3);
    server.stop();
    try {
      assertThatThrownBy(() -> await(history.writeFinal(chat, "cs1")))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.UNAVAILABLE));
    } finally {
      server.startAgain();
    }
    assertThat(await(history.writeFinal(chat, "cs1"))).isTrue();
    assertThat(await(history.read(chat.session().id())).getJsonArray("entries").size())
        .isEqualTo(3);
  }

  @Test
  void a_history_created_while_postgres_is_down_works_once_it_is_up() throws Exception {
    StoredSession chat = closedChat(4);
    server.stop();
    ContactHistory late;
    try {
      late = dev.hachat.store.ContactHistories.postgresStartingAnyway(vertx, server.options());
      assertThatThrownBy(() -> await(late.writeFinal(chat, "cs1")))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.UNAVAILABLE));
    } finally {
      server.startAgain();
    }
    assertThat(await(late.writeFinal(chat, "cs1"))).isTrue();
    assertThat(await(late.read(chat.session().id())).getJsonArray("entries").size()).isEqualTo(4);
    await(late.shutdown());
  }
}
