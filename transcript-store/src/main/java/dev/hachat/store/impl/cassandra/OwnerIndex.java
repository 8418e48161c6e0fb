package dev.hachat.store.impl.cassandra;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The {@code sessions_by_owner} table: which open sessions an instance owns, so survivors can find
 * a dead instance's chats ({@link dev.hachat.store.spi.TranscriptStore#openSessionsOf}). Plain,
 * idempotent writes beside the session's LWTs, never atomic with them: a row is added before the
 * create or claim it stands for (so no open session is ever missing from its owner's rows) and
 * removed after the claim, close or delete that ends it (so a row may be stale; readers check the
 * session itself). Thread-safe.
 */
final class OwnerIndex {
  private final PreparedStatement add;
  private final PreparedStatement remove;
  private final PreparedStatement list;
  private final PreparedStatement owner;
  private final Function<CompletionStage<AsyncResultSet>, Future<AsyncResultSet>> run;
  private final CqlSession session;
  private final int ttl;

  OwnerIndex(
      CqlSession session,
      String keyspace,
      int ttl,
      Function<CompletionStage<AsyncResultSet>, Future<AsyncResultSet>> run) {
    String t = keyspace + ".sessions_by_owner";
    this.session = session;
    this.ttl = ttl;
    this.run = run;
    add = session.prepare("INSERT INTO " + t + " (owner, session_id) VALUES (?, ?) USING TTL ?");
    remove = session.prepare("DELETE FROM " + t + " WHERE owner = ? AND session_id = ?");
    list =
        session.prepare(
            "SELECT session_id FROM " + t + " WHERE owner = ? AND session_id > ? LIMIT ?");
    owner =
        session.prepare("SELECT owner FROM " + keyspace + ".sessions WHERE session_id = ? LIMIT 1");
  }

  Future<Void> add(String ownerId, String sessionId) {
    return run.apply(session.executeAsync(add.bind(ownerId, sessionId, ttl).setIdempotent(true)))
        .mapEmpty();
  }

  Future<Void> remove(String ownerId, String sessionId) {
    return run.apply(session.executeAsync(remove.bind(ownerId, sessionId).setIdempotent(true)))
        .mapEmpty();
  }

  /** The recorded owner of a session (a plain read, for clean-up only), or null. */
  Future<String> ownerOf(String sessionId) {
    return run.apply(session.executeAsync(owner.bind(sessionId).setIdempotent(true)))
        .map(
            rs -> {
              Row r = rs.one();
              return r == null ? null : r.getString("owner");
            });
  }

  Future<List<String>> list(String ownerId, String afterId, int limit) {
    return run.apply(session.executeAsync(list.bind(ownerId, afterId, limit).setIdempotent(true)))
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
