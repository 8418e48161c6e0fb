package dev.hachat.server.room;

import dev.hachat.store.Ownership;
import dev.hachat.store.StoreException;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import dev.hachat.store.room.RoomStores;
import dev.hachat.store.room.StoredRoom;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The in-memory room store with switches for tests: {@link #hold} keeps appends waiting until
 * {@link #release}, {@link #failAppends} fails them as an unreachable database would. Thread-safe.
 */
final class GatedRoomStore implements RoomStore {
  private final RoomStore inner = RoomStores.inMemory();
  private final List<Runnable> held = new CopyOnWriteArrayList<>();
  volatile boolean hold;
  volatile boolean failAppends;

  /** Appends are applied but answered as failed: a write whose outcome the writer never saw. */
  volatile boolean applyThenFail;

  /** Appends holding an entry with this text are refused for their data ({@code REJECTED}). */
  volatile String rejectText;

  /** Appends the store was asked for, refused ones included. */
  final java.util.concurrent.atomic.AtomicInteger appends =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Lets every held append through, in order. */
  void release() {
    hold = false;
    List<Runnable> now = List.copyOf(held);
    held.clear();
    now.forEach(Runnable::run);
  }

  int heldCount() {
    return held.size();
  }

  @Override
  public Future<Ownership> create(RoomRecord room, RoomMember creator, String host) {
    return inner.create(room, creator, host);
  }

  @Override
  public Future<StoredRoom> load(String roomId) {
    return inner.load(roomId);
  }

  @Override
  public Future<Void> append(
      String roomId, long epoch, List<RoomEntry> e, List<RoomMember> m, List<String> r) {
    appends.incrementAndGet();
    String refused = rejectText;
    if (refused != null && e.stream().anyMatch(x -> refused.equals(x.text()))) {
      return Future.failedFuture(StoreException.rejected("refused: " + refused, null));
    }
    if (applyThenFail) {
      return inner
          .append(roomId, epoch, e, m, r)
          .compose(v -> Future.failedFuture(StoreException.unavailable("answer lost", null)));
    }
    if (failAppends) {
      return Future.failedFuture(StoreException.unavailable("switched off", null));
    }
    if (hold) {
      Promise<Void> p = Promise.promise();
      held.add(() -> inner.append(roomId, epoch, e, m, r).onComplete(p));
      return p.future();
    }
    return inner.append(roomId, epoch, e, m, r);
  }

  @Override
  public Future<List<RoomEntry>> read(String roomId, long position, boolean forward, int limit) {
    return inner.read(roomId, position, forward, limit);
  }

  @Override
  public Future<Ownership> claim(String roomId, long expected, String newHost, long base) {
    return inner.claim(roomId, expected, newHost, base);
  }

  @Override
  public Future<Void> release(String roomId, long epoch) {
    return inner.release(roomId, epoch);
  }

  @Override
  public Future<List<String>> roomsOf(String host, String afterId, int limit) {
    return inner.roomsOf(host, afterId, limit);
  }

  @Override
  public Future<Map<String, Integer>> roomsPerHost() {
    return inner.roomsPerHost();
  }

  @Override
  public Future<List<String>> roomsOfMember(String memberId) {
    return inner.roomsOfMember(memberId);
  }

  @Override
  public Future<Void> shutdown() {
    return Future.succeededFuture();
  }
}
