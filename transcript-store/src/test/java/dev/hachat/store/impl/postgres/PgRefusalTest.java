package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.ContactHistories;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.Ownership;
import dev.hachat.store.ParticipantRecord;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.postgres.PostgresServer;
import dev.hachat.store.spi.ContactHistory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real PostgreSQL refusing data (a NUL) is a permanent {@link StoreErrorKind#REJECTED}, not an
 * outage retried forever; the sanitised transcript is accepted; a statement that runs past {@code
 * request-timeout} is cut off by the server.
 */
class PgRefusalTest {
  static PostgresServer server;
  Vertx vertx;
  ContactHistory history;

  @BeforeEach
  void connect() throws Exception {
    server = PostgresServer.shared();
    vertx = Vertx.vertx();
    history = await(ContactHistories.postgres(vertx, server.options()));
  }

  @AfterEach
  void close() throws Exception {
    await(history.shutdown());
    await(vertx.close());
  }

  static StoredSession closedChatSaying(String text) {
    String id = UUID.randomUUID().toString();
    Map<String, ParticipantRecord> parts = new LinkedHashMap<>();
    parts.put("p1", new ParticipantRecord("p1", ParticipantType.CLIENT, "Ann", "h1", 1000, true));
    Entry message =
        new Entry(1, EntryType.MESSAGE, "p1", "Ann", ParticipantType.CLIENT, text, 1001, "m1");
    return new StoredSession(
        new SessionRecord(id, 1000, "sub\u0000ject", Map.of("k", "v")),
        new Ownership(id, "cs1", 1, 0, false),
        parts,
        List.of(message),
        new CloseInfo("CLIENT_LEFT", 2000));
  }

  @Test
  void nul_in_a_final_transcript_is_rejected_not_unavailable() {
    StoredSession chat = closedChatSaying("a\u0000b");
    assertThatThrownBy(() -> await(history.writeFinal(chat, "cs1")))
        .isInstanceOfSatisfying(
            StoreException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(StoreErrorKind.REJECTED);
              assertThat(e.kind().retryable()).isFalse();
              assertThat(e.getMessage()).contains("SQLSTATE 22");
            });
  }

  @Test
  void the_storable_copy_of_a_refused_transcript_is_written_with_replacement_characters()
      throws Exception {
    StoredSession chat = closedChatSaying("a\u0000b \uD83D\uDE00 \uDE00");
    assertThat(await(history.writeFinal(chat.storable(), "cs1"))).isTrue();
    JsonObject h = await(history.read(chat.session().id()));
    assertThat(h.getString("subject")).isEqualTo("sub\uFFFDject");
    assertThat(h.getJsonArray("entries").getJsonObject(0).getString("text"))
        .isEqualTo("a\uFFFDb \uD83D\uDE00 \uFFFD");
  }

  @Test
  void a_statement_running_past_request_timeout_is_cut_off_as_unavailable() throws Exception {
    Pool pool = Pg.pool(vertx, server.options().setRequestTimeout(300));
    try {
      long started = System.nanoTime();
      assertThatThrownBy(
              () ->
                  await(
                      Pg.typed(pool.query("SELECT pg_sleep(20)").execute(), up -> {}),
                      Duration.ofSeconds(15)))
          .isInstanceOfSatisfying(
              StoreException.class,
              e -> {
                assertThat(e.kind()).isEqualTo(StoreErrorKind.UNAVAILABLE);
                assertThat(e.getCause())
                    .isInstanceOfSatisfying(
                        PgException.class, pg -> assertThat(pg.getSqlState()).isEqualTo("57014"));
              });
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    } finally {
      await(pool.close());
    }
  }
}
