package dev.hachat.store;

import static dev.hachat.store.StoreCases.newId;
import static dev.hachat.store.StoreCases.session;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.spi.TranscriptStore.ClosedSession;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The outbox of {@link TranscriptStoreContract}: closed sessions filed in buckets of their closing
 * hour, each read page by page in id order, and the {@link OutboxReader} walk over them. The store
 * may hold entries of other tests; each case looks only at its own sessions, in buckets of its own.
 */
interface OutboxCases extends StoreCases {

  long HOUR = ClosedSession.BUCKET_MILLIS;

  /** Creates a session owned by {@code owner} and closes it at {@code closedAt}. */
  private String closed(String owner, long closedAt) throws Exception {
    String id = newId();
    await(store().create(session(id), owner));
    await(store().close(id, 1, new CloseInfo("CUSTOMER_LEFT", closedAt)));
    return id;
  }

  @Test
  default void closed_sessions_are_listed_in_their_bucket_with_their_owner_until_deleted()
      throws Exception {
    long closedAt = 1_700_000_000_500L;
    long bucket = ClosedSession.bucketOf(closedAt);
    String closed = newId();
    String open = newId();
    await(store().create(session(closed), "cs-a"));
    await(store().create(session(open), "cs-a"));
    await(store().claim(closed, 1, "cs-b", 0));
    await(store().close(closed, 2, new CloseInfo("AGENT_CLOSED", closedAt)));

    List<ClosedSession> listed =
        await(store().closedSessions(bucket, "", 10_000)).stream()
            .filter(c -> c.sessionId().equals(closed) || c.sessionId().equals(open))
            .toList();
    assertThat(listed).containsExactly(new ClosedSession(closed, "cs-b", closedAt, bucket));
    assertThat(await(store().closedSessions(bucket + 1, "", 10_000)))
        .noneMatch(c -> c.sessionId().equals(closed));

    await(store().delete(closed));
    assertThat(await(store().closedSessions(bucket, "", 10_000)))
        .noneMatch(c -> c.sessionId().equals(closed));
  }

  @Test
  default void a_bucket_is_read_page_by_page_in_id_order() throws Exception {
    String owner = "owner-" + newId();
    long base = 1_700_000_000_000L; // 22 minutes into its hour: all four in one bucket
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(closed(owner, base - i));
    }
    ids.sort(null);
    List<String> seen = new ArrayList<>();
    String after = "";
    for (int pages = 0; pages < 10_000; pages++) {
      List<ClosedSession> page =
          await(store().closedSessions(ClosedSession.bucketOf(base), after, 2));
      if (page.isEmpty()) {
        break;
      }
      assertThat(page.size()).isLessThanOrEqualTo(2);
      for (ClosedSession c : page) {
        assertThat(c.sessionId()).isGreaterThan(after);
        after = c.sessionId();
        if (ids.contains(c.sessionId())) {
          seen.add(c.sessionId());
        }
      }
    }
    assertThat(seen).containsExactlyElementsOf(ids);
  }

  @Test
  default void entries_in_several_buckets_are_all_found_and_removed() throws Exception {
    long now = System.currentTimeMillis();
    String owner = "owner-" + newId();
    List<Long> times = List.of(now - 30 * HOUR, now - 3 * HOUR, now);
    Set<String> ids = new HashSet<>();
    for (long t : times) {
      ids.add(closed(owner, t));
    }
    List<Long> buckets = await(store().closedBuckets(now));
    assertThat(buckets).isSorted();
    for (long t : times) {
      assertThat(buckets).contains(ClosedSession.bucketOf(t));
    }

    // Each pass reads at most 2 entries: a whole round of the buckets finds every one.
    OutboxReader reader = OutboxReader.create(store(), 2, OutboxReader.DEFAULT_READS_PER_PASS);
    List<ClosedSession> found = new ArrayList<>();
    for (int pass = 0; pass < 1_000 && found.size() < ids.size(); pass++) {
      OutboxReader.Pass p = await(reader.next(now));
      assertThat(p.failure()).isNull();
      p.entries().stream()
          .filter(c -> ids.contains(c.sessionId()))
          .filter(c -> found.stream().noneMatch(f -> f.sessionId().equals(c.sessionId())))
          .forEach(found::add);
    }
    assertThat(found).extracting(ClosedSession::sessionId).containsExactlyInAnyOrderElementsOf(ids);
    assertThat(found)
        .allSatisfy(c -> assertThat(c.bucket()).isEqualTo(ClosedSession.bucketOf(c.closedAt())));

    for (ClosedSession c : found) {
      await(store().delete(c));
      assertThat(await(store().closedSessions(c.bucket(), "", 10_000)))
          .noneMatch(x -> x.sessionId().equals(c.sessionId()));
    }
  }

  @Test
  default void a_bucket_with_more_rows_than_a_page_does_not_hide_a_later_bucket() throws Exception {
    long now = System.currentTimeMillis();
    long backlogHour = (ClosedSession.bucketOf(now) - 7) * HOUR;
    String owner = "owner-" + newId();
    Set<String> backlog = new HashSet<>();
    for (int i = 0; i < 5; i++) {
      backlog.add(closed(owner, backlogHour + i));
    }
    String later = closed(owner, backlogHour + HOUR);

    OutboxReader reader = OutboxReader.create(store(), 2, OutboxReader.DEFAULT_READS_PER_PASS);
    Set<String> backlogSeen = new HashSet<>();
    boolean laterSeen = false;
    for (int pass = 0; pass < 1_000 && !laterSeen; pass++) {
      for (ClosedSession c : await(reader.next(now)).entries()) {
        laterSeen = c.sessionId().equals(later);
        if (laterSeen) {
          break;
        }
        if (backlog.contains(c.sessionId())) {
          backlogSeen.add(c.sessionId());
        }
      }
    }
    assertThat(laterSeen).isTrue();
    assertThat(backlogSeen)
        .as("the later bucket is read before the backlog's bucket is read again")
        .hasSizeLessThanOrEqualTo(2);

    for (String id : backlog) {
      await(store().delete(id));
    }
    await(store().delete(later));
  }
}
