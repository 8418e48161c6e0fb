package dev.hachat.store.impl.postgres;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.CloseInfo;
import dev.hachat.store.Lease;
import dev.hachat.store.PostgresStoreOptions;
import dev.hachat.store.SessionRecord;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.postgres.PostgresServer;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * In UCS-only mode a lease renewal does not wait behind the chats' writes: with every connection of
 * the chats' pool ({@code pool-size}) held by a write that waits for a row lock, and more writes
 * queued behind them, the lease is still acquired and renewed at once. On one shared pool the
 * renewal queued for a connection until {@code request-timeout} and the lease lapsed.
 */
class PgMembershipPoolTest {
  static final int POOL_SIZE = 2;
  static final int REQUEST_TIMEOUT_MS = 10_000;

  Vertx vertx;
  TranscriptStores.Backend backend;
  Pool outside;

  @BeforeEach
  void open() throws Exception {
    vertx = Vertx.vertx();
    PostgresStoreOptions o =
        PostgresServer.shared()
            .options()
            .setPoolSize(POOL_SIZE)
            .setRequestTimeout(REQUEST_TIMEOUT_MS);
    backend = await(TranscriptStores.postgres(vertx, o));
    outside = Pg.pool(vertx, o);
  }

  @AfterEach
  void close() throws Exception {
    await(outside.close());
    await(backend.store().shutdown());
    await(vertx.close());
  }

  @Test
  void a_lease_is_renewed_while_every_chat_connection_waits_for_a_lock() throws Exception {
    String id = UUID.randomUUID().toString();
    long epoch =
        await(backend.store().create(new SessionRecord(id, 1000, "s", Map.of()), "cs1")).epoch();

    // Another transaction holds the chat's row: every close below takes a chat connection and
    // waits for that lock (up to request-timeout), and the later ones wait for a connection.
    SqlConnection holder = await(outside.getConnection());
    await(holder.query("BEGIN").execute());
    await(
        holder
            .preparedQuery("SELECT * FROM chat_sessions WHERE session_id = $1 FOR UPDATE")
            .execute(Tuple.of(id)));
    List<Future<Void>> writes = new ArrayList<>();
    for (int i = 0; i < POOL_SIZE * 3; i++) {
      writes.add(backend.store().close(id, epoch, new CloseInfo("CLIENT_LEFT", 2000 + i)));
    }
    Promise<Void> queued = Promise.promise();
    vertx.setTimer(300, t -> queued.complete()); // lets the closes reach PostgreSQL; no sync
    await(queued.future());

    String name = "membership-" + id;
    long t0 = System.nanoTime();
    Lease held = await(backend.leases().acquire(Lease.absent(name), "cs1"), Duration.ofSeconds(3));
    Lease renewed = await(backend.leases().renew(name, "cs1", held.epoch()), Duration.ofSeconds(3));
    long tookMs = (System.nanoTime() - t0) / 1_000_000;

    assertThat(renewed.heldBy("cs1", held.epoch())).isTrue();
    assertThat(tookMs).as("acquire + renew while the chats' pool is blocked").isLessThan(3000);
    assertThat(writes).allMatch(w -> !w.isComplete()); // the pool was blocked all along

    await(holder.query("ROLLBACK").execute());
    await(holder.close());
    await(Future.join(writes), Duration.ofSeconds(REQUEST_TIMEOUT_MS / 1000 + 5));
    assertThat(writes).allMatch(Future::succeeded); // the first close wins, the rest are no-ops
  }
}
