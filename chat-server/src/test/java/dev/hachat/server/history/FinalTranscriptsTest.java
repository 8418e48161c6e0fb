package dev.hachat.server.history;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.text.StorableText;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.CloseInfo;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.store.ParticipantType;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.StoredSession;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.UcsOptions;
import dev.hachat.store.spi.ContactHistory;
import dev.hachat.store.spi.TranscriptStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the final-transcript writer reacts to a contact history that refuses a transcript's data
 * (PostgreSQL's SQLSTATE class 22, proven against a real server in transcript-store's
 * PgRefusalTest): never retried forever, written sanitised, counted.
 */
class FinalTranscriptsTest {
  private final Vertx vertx = Vertx.vertx();
  private final TranscriptStore store = TranscriptStores.inMemory();
  private final Kpi kpi = new Kpi(new SimpleMeterRegistry());
  private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(10_000), ZoneOffset.UTC);

  /** Refuses what PostgreSQL refuses (or everything), as {@link StoreErrorKind#REJECTED}. */
  static final class RefusingHistory implements ContactHistory {
    final Map<String, StoredSession> written = new ConcurrentHashMap<>();
    final AtomicInteger writes = new AtomicInteger();
    final boolean refuseAll;

    RefusingHistory(boolean refuseAll) {
      this.refuseAll = refuseAll;
    }

    @Override
    public Future<Boolean> writeFinal(StoredSession s, String writtenBy) {
      writes.incrementAndGet();
      boolean unstorable =
          StorableText.firstUnstorable(s.session().subject()) >= 0
              || s.entries().stream().anyMatch(e -> StorableText.firstUnstorable(e.text()) >= 0);
      if (refuseAll || unstorable) {
        return Future.failedFuture(
            StoreException.rejected("PostgreSQL refused the data (SQLSTATE 22021)", null));
      }
      return Future.succeededFuture(written.putIfAbsent(s.session().id(), s) == null);
    }

    @Override
    public Future<JsonObject> read(String chatId) {
      return Future.failedFuture("not used");
    }

    @Override
    public Future<Void> shutdown() {
      return Future.succeededFuture();
    }
  }

  @AfterEach
  void close() throws Exception {
    await(vertx.close());
  }

  private FinalTranscripts writer(ContactHistory history) {
    return new FinalTranscripts(
        vertx,
        "cs1",
        store,
        history,
        new UcsOptions().setFinalRetryMinDelay(1).setFinalRetryMaxDelay(2),
        kpi,
        CLOCK,
        owner -> false,
        chat -> false);
  }

  /** A closed chat whose stored text holds a NUL, as chats from before the input checks may. */
  private String closedChatWithNul() throws Exception {
    SessionRecord record = new SessionRecord("chat-nul", 1000, "sub\u0000ject", Map.of());
    long epoch = await(store.create(record, "cs1")).epoch();
    Entry e =
        new Entry(
            1, EntryType.MESSAGE, "p1", "Ann", ParticipantType.CLIENT, "a\u0000b", 1001, "m1");
    await(store.append(record.id(), epoch, List.of(e), List.of()));
    await(store.close(record.id(), epoch, new CloseInfo("CLIENT_LEFT", 2000)));
    return record.id();
  }

  @Test
  void a_refused_transcript_is_written_with_replacement_characters_and_counted() throws Exception {
    String chat = closedChatWithNul();
    RefusingHistory history = new RefusingHistory(false);
    await(writer(history).finish(chat));
    StoredSession written = history.written.get(chat);
    assertThat(written.session().subject()).isEqualTo("sub\uFFFDject");
    assertThat(written.entries().get(0).text()).isEqualTo("a\uFFFDb");
    assertThat(history.writes).hasValue(2);
    assertThat(kpi.toJson().getLong("final_transcript_rejected")).isEqualTo(1);
    assertThat(kpi.toJson().getLong("final_transcripts_written")).isEqualTo(1);
  }

  @Test
  void a_transcript_refused_even_sanitised_is_given_up_not_retried_forever() throws Exception {
    String chat = closedChatWithNul();
    RefusingHistory history = new RefusingHistory(true);
    FinalTranscripts writer = writer(history);
    assertThatThrownBy(() -> await(writer.finish(chat)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.REJECTED));
    assertThat(history.writes).hasValue(2);
    await(writer.sweep());
    assertThat(history.writes).as("the sweep does not try it again").hasValue(2);
    assertThat(await(store.load(chat)).isClosed()).as("its records are kept").isTrue();
  }

  @Test
  void a_backlog_in_the_outbox_does_not_starve_a_later_orphan() throws Exception {
    // 250 closed chats their live owner is still finishing, closed before the orphan.
    for (int i = 0; i < 250; i++) {
      String id = String.format("a%03d", i);
      long epoch = await(store.create(new SessionRecord(id, 1000, "", Map.of()), "live")).epoch();
      await(store.close(id, epoch, new CloseInfo("CUSTOMER_LEFT", 2000 + i)));
    }
    long epoch = await(store.create(new SessionRecord("z1", 1000, "", Map.of()), "dead")).epoch();
    await(store.close("z1", epoch, new CloseInfo("CUSTOMER_LEFT", 9000)));
    RefusingHistory history = new RefusingHistory(false);
    FinalTranscripts writer = sweeper(store, history, owner -> owner.equals("live"));
    await(writer.sweep()); // the first page: 200 chats of the live owner
    assertThat(history.written).isEmpty();
    await(writer.sweep()); // the next page holds the orphan
    assertThat(history.written).containsOnlyKeys("z1");
  }

  /** A writer whose sweep finishes the chats of owners {@code alive} says are dead. */
  private FinalTranscripts sweeper(
      TranscriptStore s, ContactHistory history, Predicate<String> alive) {
    return new FinalTranscripts(
        vertx, "cs1", s, history, new UcsOptions(), kpi, CLOCK, alive, chat -> false);
  }

  /** A closed chat of the dead instance {@code dead}. */
  private void closedOrphan(String chatId) throws Exception {
    long epoch = await(store.create(new SessionRecord(chatId, 1000, "", Map.of()), "dead")).epoch();
    await(store.close(chatId, epoch, new CloseInfo("CUSTOMER_LEFT", 9000)));
  }

  /** {@link #store}, except that the method named in {@code failing} fails as UNAVAILABLE. */
  private TranscriptStore failing(AtomicReference<String> failing) {
    return (TranscriptStore)
        Proxy.newProxyInstance(
            TranscriptStore.class.getClassLoader(),
            new Class<?>[] {TranscriptStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals(failing.get())) {
                return Future.failedFuture(
                    StoreException.unavailable(method.getName() + " fails (test)", null));
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private long sweepFailures() {
    return kpi.toJson().getLong("final_sweep_failures");
  }

  private void assertDeleted(String chatId) {
    assertThatThrownBy(() -> await(store.load(chatId)))
        .as("its records are deleted")
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.NOT_FOUND));
  }

  @ParameterizedTest
  @ValueSource(strings = {"closedBuckets", "closedSessions"})
  void a_failed_outbox_read_is_counted_and_the_next_sweep_finishes_the_orphan(String read)
      throws Exception {
    closedOrphan("o1");
    AtomicReference<String> failingMethod = new AtomicReference<>(read);
    RefusingHistory history = new RefusingHistory(false);
    FinalTranscripts writer = sweeper(failing(failingMethod), history, owner -> false);

    await(writer.sweep());
    assertThat(sweepFailures()).isEqualTo(1);
    assertThat(history.written).isEmpty();

    failingMethod.set(null);
    await(writer.sweep());
    assertThat(history.written).containsOnlyKeys("o1");
    assertDeleted("o1");
    assertThat(sweepFailures()).isEqualTo(1);
  }

  @Test
  void a_failed_removal_is_counted_and_the_next_sweep_removes_the_records() throws Exception {
    closedOrphan("o1");
    AtomicReference<String> failingMethod = new AtomicReference<>("delete");
    RefusingHistory history = new RefusingHistory(false);
    FinalTranscripts writer = sweeper(failing(failingMethod), history, owner -> false);

    await(writer.sweep());
    assertThat(history.written).containsOnlyKeys("o1");
    assertThat(sweepFailures()).isEqualTo(1);
    assertThat(await(store.load("o1")).isClosed()).as("its records are kept").isTrue();

    failingMethod.set(null);
    await(writer.sweep());
    assertDeleted("o1");
    assertThat(history.writes).as("written once more, idempotently").hasValue(2);
    assertThat(sweepFailures()).isEqualTo(1);
  }
}
