package dev.hachat.store;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.spi.TranscriptStore;
import dev.hachat.store.spi.TranscriptStore.ClosedSession;
import io.vertx.core.Future;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** The round-robin walk of {@link OutboxReader} over the buckets of an in-memory store. */
class OutboxReaderTest {
  private static final long HOUR = ClosedSession.BUCKET_MILLIS;
  private final TranscriptStore store = TranscriptStores.inMemory();

  /** Buckets whose reads fail as UNAVAILABLE. */
  private final Set<Long> unreadable = ConcurrentHashMap.newKeySet();

  /** Closes {@code count} chats named {@code prefix0…} in the hour {@code hour}. */
  private void closeIn(long hour, String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      String id = prefix + i;
      await(store.create(new SessionRecord(id, 0, "", Map.of()), "cs1"));
      await(store.close(id, 1, new CloseInfo("CUSTOMER_LEFT", hour * HOUR + i)));
    }
  }

  /** {@link #store}, except that a read of a bucket in {@link #unreadable} fails. */
  private TranscriptStore storeWithUnreadableBuckets() {
    return (TranscriptStore)
        Proxy.newProxyInstance(
            TranscriptStore.class.getClassLoader(),
            new Class<?>[] {TranscriptStore.class},
            (proxy, m, args) -> {
              boolean read = m.getName().equals("closedSessions");
              if (read && unreadable.contains((Long) args[0])) {
                return Future.failedFuture(StoreException.unavailable("unreadable (test)", null));
              }
              try {
                return m.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  private static List<String> ids(OutboxReader.Pass pass) {
    return pass.entries().stream().map(ClosedSession::sessionId).toList();
  }

  @Test
  void backlogged_buckets_take_turns_and_a_small_one_is_read_every_round() throws Exception {
    closeIn(5, "a", 5);
    closeIn(6, "b", 5);
    closeIn(7, "c", 1);
    OutboxReader reader = OutboxReader.create(store, 2, 64);
    long now = 8 * HOUR;
    assertThat(ids(await(reader.next(now)))).containsExactly("a0", "a1");
    assertThat(ids(await(reader.next(now)))).containsExactly("b0", "b1");
    // c's short page ends that bucket's round; the rest of the budget goes to the next bucket.
    assertThat(ids(await(reader.next(now)))).containsExactly("c0", "a2");
    assertThat(ids(await(reader.next(now)))).containsExactly("b2", "b3");
    assertThat(ids(await(reader.next(now)))).containsExactly("c0", "a3");
  }

  @Test
  void a_bucket_read_to_its_end_starts_over_on_its_next_turn() throws Exception {
    closeIn(5, "a", 3);
    OutboxReader reader = OutboxReader.create(store, 2, 64);
    assertThat(ids(await(reader.next(0)))).containsExactly("a0", "a1");
    assertThat(ids(await(reader.next(0)))).containsExactly("a2");
    assertThat(ids(await(reader.next(0)))).containsExactly("a0", "a1");
  }

  @Test
  void a_pass_makes_at_most_its_reads_and_the_next_one_goes_on_from_there() throws Exception {
    for (long h = 1; h <= 5; h++) {
      closeIn(h, "h" + h + "-", 1);
    }
    OutboxReader reader = OutboxReader.create(store, 200, 2);
    assertThat(ids(await(reader.next(0)))).containsExactly("h1-0", "h2-0");
    assertThat(ids(await(reader.next(0)))).containsExactly("h3-0", "h4-0");
    assertThat(ids(await(reader.next(0)))).containsExactly("h5-0", "h1-0");
  }

  @Test
  void an_unreadable_bucket_ends_the_pass_but_never_stops_the_others() throws Exception {
    closeIn(5, "a", 1);
    closeIn(6, "b", 1);
    closeIn(7, "c", 1);
    unreadable.add(6L);
    OutboxReader reader = OutboxReader.create(storeWithUnreadableBuckets(), 200, 64);

    OutboxReader.Pass first = await(reader.next(0));
    assertThat(ids(first)).containsExactly("a0");
    assertThat(first.failure())
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.UNAVAILABLE));
    OutboxReader.Pass second = await(reader.next(0));
    assertThat(ids(second)).containsExactly("c0", "a0");
    assertThat(second.failure()).isNotNull();

    unreadable.clear();
    OutboxReader.Pass third = await(reader.next(0));
    assertThat(ids(third)).containsExactly("c0", "a0", "b0");
    assertThat(third.failure()).isNull();
  }
}
