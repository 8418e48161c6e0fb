package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code sessions_by_owner} table: which open sessions an instance owns, so survivors can find
 * a dead instance's chats ({@link dev.hachat.store.spi.TranscriptStore#openSessionsOf}). Plain,
 * idempotent writes beside the session's LWTs, never atomic with them: a row is added before the
 * create or claim it stands for (so no open session is ever missing from its owner's rows) and
 * removed after the claim, close or delete that ends it (so a row may be stale; readers check the
 * session itself). Thread-safe.
 */
final class OwnerIndex extends CqlTable {
  private final PreparedStatement add;
  private final PreparedStatement remove;
  private final PreparedStatement list;
  private final PreparedStatement owner;

  OwnerIndex(Store store) {
    super(store);
    String t = table("sessions_by_owner");
    add = prepare("INSERT INTO " + t + " (owner, session_id) VALUES (?, ?) USING TTL ?");
    remove = prepare("DELETE FROM " + t + " WHERE owner = ? AND session_id = ?");
    list = prepare("SELECT session_id FROM " + t + " WHERE owner = ? AND session_id > ? LIMIT ?");
    owner = prepare("SELECT owner FROM " + table("sessions") + " WHERE session_id = ? LIMIT 1");
  }

  Future<Void> add(String ownerId, String sessionId) {
    return execute(add.bind(ownerId, sessionId, ttl)).mapEmpty();
  }

  Future<Void> remove(String ownerId, String sessionId) {
    return execute(remove.bind(ownerId, sessionId)).mapEmpty();
  }

  /** The recorded owner of a session (a plain read, for clean-up only), or null. */
  Future<String> ownerOf(String sessionId) {
    return execute(owner.bind(sessionId))
        .map(
            rs -> {
              Row r = rs.one();
              return r == null ? null : r.getString("owner");
            });
  }

  Future<List<String>> list(String ownerId, String afterId, int limit) {
    return execute(list.bind(ownerId, afterId, limit))
        .map(
            rs -> {
              List<String> out = new ArrayList<>();
              for (Row r : rs.currentPage()) {
                out.add(r.getString("session_id"));
              }
              return out;
            });
  }
}
