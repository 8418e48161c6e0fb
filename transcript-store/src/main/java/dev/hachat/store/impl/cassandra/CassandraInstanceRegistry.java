package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.impl.Rows;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;

/** The instance registry in Cassandra's {@code instances} table (records expire after 60 s). */
public final class CassandraInstanceRegistry implements InstanceRegistry {
  private final Vertx vertx;
  private final CqlSession session;
  private final PreparedStatement upsert;
  private final PreparedStatement all;
  private final PreparedStatement remove;

  public CassandraInstanceRegistry(Vertx vertx, CassandraTranscriptStore store, String keyspace) {
    this.vertx = vertx;
    this.session = store.membershipSession();
    String t = keyspace + ".instances";
    upsert =
        session.prepare(
            "INSERT INTO "
                + t
                + " ("
                + Rows.INSTANCE_COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    all = session.prepare("SELECT * FROM " + t);
    remove = session.prepare("DELETE FROM " + t + " WHERE instance_id = ?");
  }

  @Override
  public Future<Void> heartbeat(InstanceRecord r) {
    return Cql.future(
            vertx,
            session.executeAsync(upsert.bind(Rows.instanceValues(r)).setIdempotent(true)),
            up -> {})
        .mapEmpty();
  }

  @Override
  public Future<List<InstanceRecord>> list() {
    return Cql.future(vertx, session.executeAsync(all.bind().setIdempotent(true)), up -> {})
        .map(
            rs -> {
              List<InstanceRecord> out = new ArrayList<>();
              for (Row r : rs.currentPage()) {
                out.add(Rows.instance(r::getString, r::getInt, r::getLong));
              }
              return out;
            });
  }

  @Override
  public Future<Void> remove(String instanceId) {
    return Cql.future(
            vertx, session.executeAsync(remove.bind(instanceId).setIdempotent(true)), up -> {})
        .mapEmpty();
  }
}
