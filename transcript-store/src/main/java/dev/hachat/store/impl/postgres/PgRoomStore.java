package dev.hachat.store.impl.postgres;

import dev.hachat.store.Ownership;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.impl.StoreStatus;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomEntryType;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import dev.hachat.store.room.RoomRole;
import dev.hachat.store.room.StoredRoom;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rooms in PostgreSQL (tables of V8__rooms.sql). Every write that depends on the hosting record
 * runs in a transaction holding the room row's lock ({@code SELECT … FOR UPDATE}), so an append of
 * a stale epoch is refused {@link StoreErrorKind#FENCED} and a claim moves the epoch and drops the
 * entries past its base at once. Reactive client only: nothing blocks an event loop.
 */
public final class PgRoomStore implements RoomStore {
  private static final String INSERT_ENTRY =
      // No ON CONFLICT: an entry is never replaced. The check under the room's lock refuses an
      // append over held indexes first; should one slip past, the key refuses it.
      "INSERT INTO room_entries (room_id, idx, epoch, type, member_id, nickname, text, utc_time,"
          + " client_message_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)";

  private static final String UPSERT_MEMBER =
      "INSERT INTO room_members (room_id, member_id, role, joined_at) VALUES ($1, $2, $3, $4)"
          + " ON CONFLICT (room_id, member_id) DO UPDATE SET role = EXCLUDED.role";

  private final Pool pool;
  private final StoreStatus status = new StoreStatus("PostgreSQL");
  private final Pg.SchemaOnUse schema;

  /** A room store over a pool whose schema is already migrated. */
  public PgRoomStore(Pool pool) {
    this(pool, true);
  }

  private PgRoomStore(Pool pool, boolean migrated) {
    this.pool = pool;
    this.schema = new Pg.SchemaOnUse(pool, migrated);
  }

  /** {@code op} once the schema is there, its failure typed. */
  private <T> Future<T> typed(java.util.function.Supplier<Future<T>> op) {
    return Pg.typed(migrated().compose(v -> op.get()), status);
  }

  /**
   * A room store that migrates the schema on first use and again on every use until that succeeded,
   * so an instance starts while PostgreSQL is unreachable (room requests are answered {@code
   * STORE_UNAVAILABLE} meanwhile).
   */
  public static PgRoomStore migratingOnUse(Pool pool) {
    PgRoomStore s = new PgRoomStore(pool, false);
    s.schema.start("room store");
    return s;
  }

  private Future<Void> migrated() {
    return schema.ready();
  }

  @Override
  public Future<Ownership> create(RoomRecord r, RoomMember creator, String host) {
    return typed(
        () ->
            pool.withTransaction(
                c ->
                    c.preparedQuery(
                            "INSERT INTO rooms (room_id, name, topic, invite_only, member_limit,"
                                + " created_by, created_at, host, host_epoch)"
                                + " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1) ON CONFLICT DO NOTHING")
                        .execute(
                            Tuple.from(
                                new Object[] {
                                  r.id(),
                                  r.name(),
                                  r.topic(),
                                  r.inviteOnly(),
                                  r.memberLimit(),
                                  r.createdBy(),
                                  r.createdAt(),
                                  host
                                }))
                        .compose(
                            res -> {
                              if (res.rowCount() == 0) {
                                return Future.failedFuture(
                                    StoreException.of(
                                        StoreErrorKind.ALREADY_EXISTS, "room exists: " + r.id()));
                              }
                              return c.preparedQuery(UPSERT_MEMBER)
                                  .execute(member(r.id(), creator));
                            })
                        .map(res -> new Ownership(r.id(), host, 1, 0, false))));
  }

  @Override
  public Future<StoredRoom> load(String roomId) {
    return typed(
        () ->
            pool.withConnection(
                c ->
                    c.preparedQuery(
                            "SELECT r.*, (SELECT coalesce(max(idx), 0) FROM room_entries e"
                                + " WHERE e.room_id = r.room_id) AS last_index"
                                + " FROM rooms r WHERE room_id = $1")
                        .execute(Tuple.of(roomId))
                        .compose(
                            rows -> {
                              if (rows.rowCount() == 0) {
                                return Future.failedFuture(notFound(roomId));
                              }
                              Row room = rows.iterator().next();
                              return c.preparedQuery(
                                      "SELECT * FROM room_members WHERE room_id = $1"
                                          + " ORDER BY joined_at, member_id")
                                  .execute(Tuple.of(roomId))
                                  .map(ms -> stored(room, ms));
                            })));
  }

  private static StoredRoom stored(Row r, Iterable<Row> memberRows) {
    Map<String, RoomMember> members = new LinkedHashMap<>();
    for (Row m : memberRows) {
      members.put(
          m.getString("member_id"),
          new RoomMember(
              m.getString("member_id"),
              RoomRole.fromWire(m.getString("role")),
              m.getLong("joined_at")));
    }
    RoomRecord room =
        new RoomRecord(
            r.getString("room_id"),
            r.getString("name"),
            r.getString("topic"),
            r.getBoolean("invite_only"),
            r.getInteger("member_limit"),
            r.getString("created_by"),
            r.getLong("created_at"));
    return new StoredRoom(room, host(r), members, r.getLong("last_index"));
  }

  private static Ownership host(Row r) {
    return new Ownership(
        r.getString("room_id"),
        r.getString("host"),
        r.getLong("host_epoch"),
        r.getLong("base_index"),
        r.getBoolean("released"));
  }

  @Override
  public Future<Void> append(
      String roomId,
      long epoch,
      List<RoomEntry> entries,
      List<RoomMember> members,
      List<String> removed) {
    return locked(
        roomId,
        (c, row) -> {
          long current = row.getLong("host_epoch");
          if (current != epoch) {
            throw StoreException.of(
                StoreErrorKind.FENCED,
                "epoch " + epoch + " of room " + roomId + " superseded by " + current);
          }
          Future<?> chain = Future.succeededFuture();
          if (!entries.isEmpty()) {
            List<Tuple> batch = new ArrayList<>(entries.size());
            for (RoomEntry e : entries) {
              batch.add(
                  Tuple.from(
                      new Object[] {
                        roomId,
                        e.index(),
                        epoch,
                        e.type().wireName(),
                        e.memberId(),
                        e.nickname(),
                        e.text(),
                        e.utcTime(),
                        e.clientMessageId()
                      }));
            }
            chain =
                c.preparedQuery(
                        "SELECT 1 FROM room_entries WHERE room_id = $1 AND idx >= $2 LIMIT 1")
                    .execute(Tuple.of(roomId, entries.get(0).index()))
                    .compose(
                        held ->
                            held.rowCount() > 0
                                ? Future.failedFuture(
                                    StoreException.of(
                                        StoreErrorKind.CONFLICT,
                                        "room " + roomId + " holds entries from that index on"))
                                : c.preparedQuery(INSERT_ENTRY).executeBatch(batch));
          }
          if (!members.isEmpty()) {
            List<Tuple> batch = members.stream().map(m -> member(roomId, m)).toList();
            chain = chain.compose(v -> c.preparedQuery(UPSERT_MEMBER).executeBatch(batch));
          }
          if (!removed.isEmpty()) {
            chain =
                chain.compose(
                    v ->
                        c.preparedQuery(
                                "DELETE FROM room_members WHERE room_id = $1"
                                    + " AND member_id = ANY($2)")
                            .execute(
                                Tuple.tuple()
                                    .addString(roomId)
                                    .addArrayOfString(removed.toArray(new String[0]))));
          }
          return chain.mapEmpty();
        });
  }

  @Override
  public Future<List<RoomEntry>> read(String roomId, long position, boolean forward, int limit) {
    String sql =
        forward
            ? "SELECT * FROM room_entries WHERE room_id = $1 AND idx > $2 ORDER BY idx LIMIT $3"
            : "SELECT * FROM room_entries WHERE room_id = $1 AND idx < $2"
                + " ORDER BY idx DESC LIMIT $3";
    return typed(
        () ->
            pool.withConnection(
                c ->
                    c.preparedQuery("SELECT 1 FROM rooms WHERE room_id = $1")
                        .execute(Tuple.of(roomId))
                        .compose(
                            found ->
                                found.rowCount() == 0
                                    ? Future.failedFuture(notFound(roomId))
                                    : c.preparedQuery(sql)
                                        .execute(Tuple.of(roomId, position, limit))
                                        .map(rows -> Pg.each(rows, PgRoomStore::entry)))));
  }

  private static RoomEntry entry(Row r) {
    return new RoomEntry(
        r.getLong("idx"),
        RoomEntryType.fromWire(r.getString("type")),
        r.getString("member_id"),
        r.getString("nickname"),
        r.getString("text"),
        r.getLong("utc_time"),
        r.getString("client_message_id"));
  }

  @Override
  public Future<Ownership> claim(
      String roomId, long expectedEpoch, String newHost, long baseIndex) {
    return locked(
        roomId,
        (c, row) -> {
          if (row.getLong("host_epoch") != expectedEpoch) {
            throw StoreException.conflict(host(row));
          }
          return c.preparedQuery(
                  "UPDATE rooms SET host = $2, host_epoch = $3, base_index = $4,"
                      + " released = false, updated_at = now() WHERE room_id = $1")
              .execute(Tuple.of(roomId, newHost, expectedEpoch + 1, baseIndex))
              // Entries past the base were never acknowledged: drop them.
              .compose(
                  r ->
                      c.preparedQuery("DELETE FROM room_entries WHERE room_id = $1 AND idx > $2")
                          .execute(Tuple.of(roomId, baseIndex)))
              .map(r -> new Ownership(roomId, newHost, expectedEpoch + 1, baseIndex, false));
        });
  }

  @Override
  public Future<Void> release(String roomId, long epoch) {
    return locked(
        roomId,
        (c, row) -> {
          if (row.getLong("host_epoch") != epoch) {
            throw StoreException.conflict(host(row));
          }
          return c.preparedQuery(
                  "UPDATE rooms SET released = true, updated_at = now() WHERE room_id = $1")
              .execute(Tuple.of(roomId))
              .mapEmpty();
        });
  }

  @Override
  public Future<List<String>> roomsOf(String host, String afterId, int limit) {
    return typed(
        () ->
            pool.preparedQuery(
                    "SELECT room_id FROM rooms WHERE host = $1 AND room_id > $2"
                        + " ORDER BY room_id LIMIT $3")
                .execute(Tuple.of(host, afterId, limit))
                .map(rows -> Pg.each(rows, r -> r.getString("room_id"))));
  }

  @Override
  public Future<Map<String, Integer>> roomsPerHost() {
    return typed(
        () ->
            pool.preparedQuery("SELECT host, count(*) AS n FROM rooms GROUP BY host")
                .execute()
                .map(
                    rows -> {
                      Map<String, Integer> out = new TreeMap<>();
                      rows.forEach(r -> out.put(r.getString("host"), r.getLong("n").intValue()));
                      return out;
                    }));
  }

  @Override
  public Future<List<String>> roomsOfMember(String memberId) {
    return typed(
        () ->
            pool.preparedQuery(
                    "SELECT room_id FROM room_members WHERE member_id = $1 ORDER BY room_id")
                .execute(Tuple.of(memberId))
                .map(rows -> Pg.each(rows, r -> r.getString("room_id"))));
  }

  @Override
  public Future<Void> shutdown() {
    return pool.close();
  }

  private static Tuple member(String roomId, RoomMember m) {
    return Tuple.of(roomId, m.memberId(), m.role().wireName(), m.joinedAt());
  }

  /** Runs {@code op} in a transaction holding the room row's lock. */
  private <T> Future<T> locked(
      String roomId, java.util.function.BiFunction<SqlConnection, Row, Future<T>> op) {
    return typed(
        () ->
            Pg.locked(
                pool,
                "SELECT * FROM rooms WHERE room_id = $1 FOR UPDATE",
                roomId,
                () -> notFound(roomId),
                op));
  }

  private static StoreException notFound(String id) {
    return StoreException.of(StoreErrorKind.NOT_FOUND, "no such room: " + id);
  }
}
