package dev.hachat.store.impl.cassandra;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.OutboxReader;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.TranscriptStoreContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.store.spi.TranscriptStore;
import dev.hachat.store.spi.TranscriptStore.ClosedSession;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The contract suite, unchanged, against a real single Cassandra node (the JVM's shared one), and
 * what only Cassandra has: outbox rows written by versions before the buckets.
 */
class CassandraTranscriptStoreTest extends TranscriptStoreContract {
  @Override
  protected TranscriptStore createStore(Vertx vertx) throws Exception {
    CassandraStoreOptions o = CassandraCluster.shared().storeOptions();
    return await(TranscriptStores.cassandra(vertx, o), SETUP_TIMEOUT).store();
  }

  @Test
  void a_legacy_bucket_0_row_is_found_and_removed() throws Exception {
    // A chat closed by a version before the buckets: its close recorded as that version did it,
    // its outbox row in bucket 0.
    String id = UUID.randomUUID().toString().replace("-", "");
    long now = System.currentTimeMillis();
    await(store.create(new SessionRecord(id, now - 60_000, "billing", Map.of()), "cs-old"));
    CqlSession cql = ((CassandraTranscriptStore) store).session();
    String ks = CassandraStoreOptions.DEFAULT_KEYSPACE;
    cql.execute(
        "UPDATE " + ks + ".sessions SET closed_reason = ?, closed_at = ? WHERE session_id = ?",
        "CUSTOMER_LEFT",
        now,
        id);
    cql.execute(
        "INSERT INTO "
            + ks
            + ".closed_sessions (bucket, session_id, owner, closed_at) VALUES (0, ?, ?, ?)",
        id,
        "cs-old",
        now);

    assertThat(await(store.closedBuckets(now))).startsWith(OutboxTable.LEGACY_BUCKET);
    OutboxReader reader = OutboxReader.create(store);
    List<ClosedSession> found = new ArrayList<>();
    for (int pass = 0; pass < 100 && found.isEmpty(); pass++) {
      await(reader.next(now)).entries().stream()
          .filter(c -> c.sessionId().equals(id))
          .forEach(found::add);
    }
    assertThat(found).containsExactly(new ClosedSession(id, "cs-old", now, 0));
    assertThat(await(store.load(id)).isClosed()).isTrue();

    await(store.delete(found.get(0)));
    assertThat(await(store.closedSessions(0, "", 10_000))).noneMatch(c -> c.sessionId().equals(id));
    assertThat(await(store.closedSessions(ClosedSession.bucketOf(now), "", 10_000)))
        .noneMatch(c -> c.sessionId().equals(id));
    assertThatThrownBy(() -> await(store.load(id)))
        .isInstanceOfSatisfying(
            StoreException.class, e -> assertThat(e.kind()).isEqualTo(StoreErrorKind.NOT_FOUND));
  }

  @Test
  void a_listed_row_whose_session_is_gone_is_removed() throws Exception {
    // A crash between the session's delete and its row's: the row stays, the sweep removes it.
    String id = UUID.randomUUID().toString().replace("-", "");
    long now = System.currentTimeMillis();
    long bucket = ClosedSession.bucketOf(now);
    ((CassandraTranscriptStore) store)
        .session()
        .execute(
            "INSERT INTO "
                + CassandraStoreOptions.DEFAULT_KEYSPACE
                + ".closed_sessions (bucket, session_id, owner, closed_at) VALUES (?, ?, ?, ?)",
            (int) bucket,
            id,
            "cs-a",
            now);
    ClosedSession listed =
        await(store.closedSessions(bucket, "", 10_000)).stream()
            .filter(c -> c.sessionId().equals(id))
            .findFirst()
            .orElseThrow();
    await(store.delete(listed));
    assertThat(await(store.closedSessions(bucket, "", 10_000)))
        .noneMatch(c -> c.sessionId().equals(id));
  }
}
