package dev.hachat.store.impl.postgres;

import dev.hachat.store.InstanceRecord;
import dev.hachat.store.impl.Rows;
import dev.hachat.store.spi.InstanceRegistry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * The instance registry in PostgreSQL (UCS-only mode). A row not refreshed for 60 s is left out of
 * {@link #list()}, as the Cassandra registry's TTL does.
 */
public final class PgInstanceRegistry implements InstanceRegistry {
  private final Pool pool;

  public PgInstanceRegistry(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> heartbeat(InstanceRecord r) {
    return Pg.typed(
        pool.preparedQuery(
                "INSERT INTO chat_instances ("
                    + Rows.INSTANCE_COLUMNS
                    + ", updated_at)"
                    + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, now())"
                    + " ON CONFLICT (instance_id) DO UPDATE SET webapi = EXCLUDED.webapi,"
                    + " esp = EXCLUDED.esp, admin = EXCLUDED.admin, state = EXCLUDED.state,"
                    + " sessions = EXCLUDED.sessions, session_limit = EXCLUDED.session_limit,"
                    + " heartbeat = EXCLUDED.heartbeat, started_at = EXCLUDED.started_at,"
                    + " version = EXCLUDED.version, updated_at = now()")
            .execute(Tuple.from(Rows.instanceValues(r)))
            .mapEmpty(),
        up -> {});
  }

  @Override
  public Future<List<InstanceRecord>> list() {
    return Pg.typed(
        pool.query("SELECT * FROM chat_instances WHERE updated_at > now() - interval '60 seconds'")
            .execute()
            .map(
                rows -> {
                  List<InstanceRecord> out = new ArrayList<>();
                  for (Row r : rows) {
                    out.add(Rows.instance(r::getString, r::getInteger, r::getLong));
                  }
                  return out;
                }),
        up -> {});
  }

  @Override
  public Future<Void> remove(String instanceId) {
    return Pg.typed(
        pool.preparedQuery("DELETE FROM chat_instances WHERE instance_id = $1")
            .execute(Tuple.of(instanceId))
            .mapEmpty(),
        up -> {});
  }
}
