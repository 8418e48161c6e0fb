package dev.hachat.store.spi;

import dev.hachat.store.Ownership;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import dev.hachat.store.room.StoredRoom;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;

/**
 * Where rooms, their members and their whole history live (docs/rooms.md). Nothing here expires.
 *
 * <p>Every method is asynchronous and never blocks the calling thread. Failures are {@link
 * dev.hachat.store.StoreException}s with a {@link StoreErrorKind}.
 *
 * <p><b>Hosting, as a chat's ownership.</b> A room has one host record ({@link Ownership}) whose
 * epoch only grows: {@link #create} writes epoch 1, {@link #claim} moves to epoch + 1 by
 * compare-and-set, {@link #release} marks a hand-over. Unlike the transcript store, a room store
 * <em>always</em> refuses a write of an older epoch ({@link StoreErrorKind#FENCED}): a stale host
 * can never add to the history. A claim with base index {@code b} drops entries above {@code b}
 * (they were never acknowledged).
 *
 * <p><b>Never overwritten.</b> An entry once written is never replaced by another at its index: an
 * append over held indexes is refused, so a late write can never take an acknowledged entry's
 * place.
 */
public interface RoomStore {

  /**
   * Creates a room hosted by {@code host} at epoch 1 with {@code creator} as its only member and no
   * entries. Fails with {@link StoreErrorKind#ALREADY_EXISTS} if the id is taken.
   */
  Future<Ownership> create(RoomRecord room, RoomMember creator, String host);

  /** The room, its host record, members and last index; {@link StoreErrorKind#NOT_FOUND}. */
  Future<StoredRoom> load(String roomId);

  /**
   * Appends entries (ascending indexes without a gap, the first one past the last entry held), adds
   * or updates {@code members} and removes {@code removed}, as one write. Nothing held is ever
   * replaced: when the room already holds an entry at the first index (what a write whose outcome
   * its host never saw left there), the write fails with {@link StoreErrorKind#CONFLICT} and
   * applies nothing; the host then reads what is there and goes on after it. Fails with {@link
   * StoreErrorKind#NOT_FOUND} for an unknown room and {@link StoreErrorKind#FENCED} when {@code
   * epoch} is not the room's epoch.
   */
  Future<Void> append(
      String roomId,
      long epoch,
      List<RoomEntry> entries,
      List<RoomMember> members,
      List<String> removed);

  /**
   * One page of history: {@code forward}, the entries with an index above {@code position} in
   * ascending order; backwards, those below it in descending order; at most {@code limit}.
   */
  Future<List<RoomEntry>> read(String roomId, long position, boolean forward, int limit);

  /**
   * Takes the room by compare-and-set: succeeds only if its epoch is {@code expectedEpoch}, then
   * records {@code newHost} at {@code expectedEpoch + 1} with {@code baseIndex} and drops entries
   * above it. Fails with {@link StoreErrorKind#CONFLICT} carrying the current record.
   */
  Future<Ownership> claim(String roomId, long expectedEpoch, String newHost, long baseIndex);

  /** Marks the epoch as given up (a hand-over); {@link StoreErrorKind#CONFLICT} if it moved on. */
  Future<Void> release(String roomId, long epoch);

  /**
   * Ids of the rooms whose host is {@code host}, in id order, after {@code afterId}, at most limit.
   */
  Future<List<String>> roomsOf(String host, String afterId, int limit);

  /** How many rooms each host holds (hosts with none are absent). */
  Future<Map<String, Integer>> roomsPerHost();

  /** Ids of the rooms {@code memberId} is a member of, in id order. */
  Future<List<String>> roomsOfMember(String memberId);

  /** Releases connections. */
  Future<Void> shutdown();
}
