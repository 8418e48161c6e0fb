package dev.hachat.store.impl.cassandra;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.CassandraStoreOptions;
import dev.hachat.store.Lease;
import dev.hachat.store.LeasesContract;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.cassandra.CassandraCluster;
import dev.hachat.store.spi.Leases;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The leases contract against a real Cassandra node (the JVM's shared one), and what only the
 * Cassandra backend has: a renew whose guess of the beat is out of date.
 */
class CassandraLeasesTest extends LeasesContract {
  private final List<TranscriptStores.Backend> opened = new ArrayList<>();
  private Vertx vertx;

  @Override
  protected Leases createLeases(Vertx vertx) throws Exception {
    this.vertx = vertx;
    return open().leases();
  }

  private TranscriptStores.Backend open() throws Exception {
    CassandraStoreOptions o = CassandraCluster.shared().storeOptions();
    TranscriptStores.Backend backend = await(TranscriptStores.cassandra(vertx, o), SETUP_TIMEOUT);
    opened.add(backend);
    return backend;
  }

  @Override
  protected void closeLeases() throws Exception {
    for (TranscriptStores.Backend b : opened) {
      await(b.store().shutdown());
    }
    opened.clear();
  }

  @Test
  void a_renew_whose_last_seen_beat_is_out_of_date_still_raises_it_by_one() throws Exception {
    String name = "router-stale-guess";
    Leases here = leases;
    Leases there = open().leases(); // the same holder's renews, sent through another session
    Lease held = await(here.acquire(await(here.read(name)), "ixs-a"));

    assertThat(await(there.renew(name, "ixs-a", held.epoch())).beat()).isEqualTo(1);
    assertThat(await(there.renew(name, "ixs-a", held.epoch())).beat()).isEqualTo(2);
    // here last saw beat 0: its first LWT is not applied and returns beat 2, the second applies.
    assertThat(await(here.renew(name, "ixs-a", held.epoch())))
        .isEqualTo(new Lease(name, "ixs-a", held.epoch(), 3));
  }
}
