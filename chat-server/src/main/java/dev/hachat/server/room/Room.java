package dev.hachat.server.room;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.text.StorableText;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomEntryType;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import dev.hachat.store.room.RoomRole;
import dev.hachat.store.room.StoredRoom;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * One room hosted here at one epoch: its members, who is present, and the requests that change
 * them. Everything it writes goes through its {@link RoomJournal} (saved before it is answered or
 * shown). Posts are idempotent by {@code (memberId, clientMessageId)}; a restored room knows the
 * ids of its last {@code rooms.idempotence-window} entries.
 *
 * <p>Threading: every mutable field is confined to the room's own context ({@link OwnContext});
 * public methods hop onto it and return Futures; {@link #isLive()} and {@link #presentCount()} read
 * volatile snapshots from any thread.
 */
public final class Room implements RoomJournal.Sink {
  enum State {
    LIVE,
    HANDING_OVER,
    FENCED
  }

  private final RoomSetup setup;
  private final OwnContext ctx;
  private final RoomRecord record;
  private final long epoch;
  private final Consumer<Room> onFenced;
  private final RoomJournal journal;
  private final Map<String, RoomMember> members = new LinkedHashMap<>();
  private final Presence presence;
  private final Map<String, RoomEntry> recent;

  /** Joins in flight, by member: counted against the limit until committed or failed. */
  private final Map<String, Future<RoomEntry>> joining = new java.util.HashMap<>();

  private final Map<String, Future<RoomEntry>> sending = new HashMap<>();
  private State state = State.LIVE;
  private Promise<Long> drained;
  private volatile boolean live = true;

  /**
   * @param recentEntries the last entries (any order): their message ids answer resends
   * @param onFenced told once, on the room's context, when this copy stops (fenced, handed over)
   */
  Room(
      RoomSetup setup,
      StoredRoom stored,
      long epoch,
      BooleanSupplier guard,
      List<RoomEntry> recentEntries,
      Consumer<Room> onFenced) {
    this.setup = setup;
    this.ctx = OwnContext.create(setup.vertx());
    this.record = stored.room();
    this.epoch = epoch;
    this.onFenced = onFenced;
    this.journal = new RoomJournal(setup, ctx, record.id(), epoch, stored.lastIndex(), guard, this);
    stored.memberList().forEach(m -> members.put(m.memberId(), m));
    this.presence = new Presence(record.id());
    int window = setup.options().getIdempotenceWindow();
    this.recent =
        new LinkedHashMap<>() {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, RoomEntry> eldest) {
            return size() > window;
          }
        };
    recentEntries.stream()
        .sorted(Comparator.comparingLong(RoomEntry::index))
        .filter(e -> e.clientMessageId() != null && e.memberId() != null)
        .forEach(e -> recent.put(key(e.memberId(), e.clientMessageId()), e));
  }

  public String id() {
    return record.id();
  }

  public RoomRecord record() {
    return record;
  }

  public long epoch() {
    return epoch;
  }

  public boolean isLive() {
    return live;
  }

  public int presentCount() {
    return presence.count();
  }

  /** Posts a message of a member; idempotent by {@code (memberId, clientMessageId)}. */
  public Future<RoomEntry> post(String memberId, String nickname, String cmid, String text) {
    return ctx.call(
        () -> {
          requireMember(memberId);
          checkText(text);
          String k = key(memberId, cmid);
          RoomEntry done = recent.get(k);
          if (done != null) {
            return Future.succeededFuture(done);
          }
          Future<RoomEntry> inFlight = sending.get(k);
          if (inFlight != null) {
            return inFlight;
          }
          requireLive();
          if (!setup.posts().tryAcquire(memberId + '\n' + record.id())) {
            setup.kpi().postLimited();
            throw new ChatException(
                ErrorCode.RATE_LIMITED, "too many posts in this room (rooms.posts-per-minute)");
          }
          Future<RoomEntry> f =
              journal.append(RoomEntryType.MESSAGE, memberId, nickname, text, cmid, null, null);
          sending.put(k, f);
          f.onComplete(ar -> sending.remove(k, f));
          return f;
        });
  }

  /** A member-to-be joins an open room; completes with null if it is a member already. */
  public Future<RoomEntry> join(String memberId, String nickname) {
    return ctx.call(
        () -> {
          if (members.containsKey(memberId)) {
            return Future.succeededFuture(null);
          }
          if (record.inviteOnly()) {
            throw new ChatException(ErrorCode.FORBIDDEN, "this room is invite-only");
          }
          return add(memberId, nickname, RoomRole.MEMBER);
        });
  }

  /** An owner or moderator adds {@code memberId} with {@code role}; null if already a member. */
  public Future<RoomEntry> invite(String byMember, String memberId, RoomRole role) {
    return ctx.call(
        () -> {
          RoomRole by = requireMember(byMember).role();
          if (!by.mayInvite()) {
            throw new ChatException(ErrorCode.FORBIDDEN, "only owners and moderators invite");
          }
          if (role == RoomRole.OWNER || (role == RoomRole.MODERATOR && by != RoomRole.OWNER)) {
            throw new ChatException(
                ErrorCode.FORBIDDEN, "only the owner names moderators; a room has one owner");
          }
          if (members.containsKey(memberId)) {
            return Future.succeededFuture(null);
          }
          return add(memberId, memberId, role);
        });
  }

  /** A member gives up its membership (an owner cannot). */
  public Future<RoomEntry> leave(String memberId, String nickname) {
    return ctx.call(
        () -> {
          if (requireMember(memberId).role() == RoomRole.OWNER) {
            throw ChatException.badRequest("the owner cannot leave its room");
          }
          requireLive();
          return journal.append(
              RoomEntryType.MEMBER_LEFT, memberId, nickname, "left", null, null, memberId);
        });
  }

  /**
   * A member's connection enters: it is present from now on, and the answer holds the first page of
   * entries after {@code after}; later entries come to {@code listener}.
   */
  public Future<Entered> enter(String memberId, Object key, long after, RoomListener listener) {
    return ctx.call(
        () -> {
          requireMember(memberId);
          requireLive();
          presence.add(key, memberId, listener);
          long upTo = journal.committed();
          List<RoomMember> list = List.copyOf(members.values());
          List<String> present = presence.members();
          Runnable exit = () -> ctx.run(() -> presence.remove(key));
          return page(after, true, setup.options().getHistoryPageSize(), upTo)
              .map(
                  p -> {
                    long nextPos =
                        p.more() ? p.entries().get(p.entries().size() - 1).index() + 1 : upTo + 1;
                    return new Entered(record, list, present, p.entries(), nextPos, p.more(), exit);
                  });
        });
  }

  /** A page of history before ({@code forward} false) or after {@code position}. */
  public Future<Page> history(String memberId, long position, boolean forward, int limit) {
    return ctx.call(
        () -> {
          requireMember(memberId);
          int n = Math.max(1, Math.min(limit, setup.options().getHistoryPageSize()));
          return page(position, forward, n, journal.committed());
        });
  }

  /** Who is present now (member ids, each once). */
  public Future<List<String>> present() {
    return ctx.call(() -> Future.succeededFuture(presence.members()));
  }

  /** Writes the notice that the room moved here (the first entry of a restored room). */
  Future<RoomEntry> noticeMoved(String from) {
    return ctx.call(
        () ->
            journal.append(
                RoomEntryType.NOTICE,
                null,
                null,
                "the room moved from " + from + " to " + setup.instanceId(),
                "room:moved",
                null,
                null));
  }

  /**
   * Stops taking entries and completes with the epoch once everything queued is saved and
   * committed, or with -1 when the room is not live; fails after {@code timeoutMs}.
   */
  Future<Long> beginHandOver(long timeoutMs) {
    return ctx.call(
        () -> {
          if (state != State.LIVE) {
            return Future.succeededFuture(-1L);
          }
          state = State.HANDING_OVER;
          live = false;
          if (journal.idle()) {
            return Future.succeededFuture(epoch);
          }
          drained = Promise.promise();
          return drained.future().timeout(timeoutMs, TimeUnit.MILLISECONDS);
        });
  }

  /** Takes entries again after a hand-over that did not happen. */
  void cancelHandOver() {
    ctx.run(
        () -> {
          if (state == State.HANDING_OVER) {
            state = State.LIVE;
            live = true;
            drained = null;
          }
        });
  }

  /** Stops this copy for good: present members hear where the room went. */
  void fence(String movedTo, String esp) {
    ctx.run(
        () -> {
          if (state == State.FENCED) {
            return;
          }
          state = State.FENCED;
          live = false;
          journal.stop(setup.notOwner().apply(movedTo));
          presence.moved(movedTo, esp);
          onFenced.accept(this);
        });
  }

  @Override
  public void committed(RoomJournal.Pending p, RoomEntry e) {
    if (p.upsert() != null) {
      members.put(p.upsert().memberId(), p.upsert());
    }
    shown(e);
    if (p.removed() != null) {
      members.remove(p.removed());
      presence.removeMember(p.removed());
    }
  }

  @Override
  public void recovered(RoomEntry e) {
    if (e.type() == RoomEntryType.MEMBER_JOINED && e.memberId() != null) {
      try {
        members.put(
            e.memberId(), new RoomMember(e.memberId(), RoomRole.fromWire(e.text()), e.utcTime()));
      } catch (IllegalArgumentException unknownRole) {
        members.put(e.memberId(), new RoomMember(e.memberId(), RoomRole.MEMBER, e.utcTime()));
      }
    }
    shown(e);
    if (e.type() == RoomEntryType.MEMBER_LEFT && e.memberId() != null) {
      members.remove(e.memberId());
      presence.removeMember(e.memberId());
    }
  }

  /** A committed entry: remembered for resends, counted, pushed to the present members. */
  private void shown(RoomEntry e) {
    if (e.type() == RoomEntryType.MESSAGE && e.memberId() != null && e.clientMessageId() != null) {
      recent.put(key(e.memberId(), e.clientMessageId()), e);
      setup.kpi().message();
    }
    presence.entry(e);
  }

  @Override
  public void fenced() {
    fence(null, null);
  }

  @Override
  public void idle() {
    if (state == State.HANDING_OVER && drained != null) {
      drained.tryComplete(epoch);
    }
  }

  /**
   * Adds a member. Joins not yet committed (queued or being written) count against the limit, and a
   * second join or invite of a member whose join is in flight gets the same answer.
   */
  private Future<RoomEntry> add(String memberId, String nickname, RoomRole role) {
    requireLive();
    Future<RoomEntry> inFlight = joining.get(memberId);
    if (inFlight != null) {
      return inFlight;
    }
    if (members.size() + joining.size() >= record.memberLimit()) {
      throw new ChatException(
          ErrorCode.ROOM_FULL, "the room has its " + record.memberLimit() + " members");
    }
    RoomMember m = new RoomMember(memberId, role, setup.clock().millis());
    Future<RoomEntry> f =
        journal.append(
            RoomEntryType.MEMBER_JOINED, memberId, nickname, role.wireName(), null, m, null);
    joining.put(memberId, f);
    f.onComplete(ar -> joining.remove(memberId, f));
    return f;
  }

  /** At most {@code limit} committed entries (index ≤ {@code upTo}) from {@code position}. */
  private Future<Page> page(long position, boolean forward, int limit, long upTo) {
    long from = forward ? position : Math.min(position, upTo + 1);
    return ctx.back(setup.store().read(record.id(), from, forward, limit + 1))
        .map(
            got -> {
              List<RoomEntry> kept = got.stream().filter(e -> e.index() <= upTo).toList();
              boolean more = kept.size() > limit;
              return new Page(List.copyOf(more ? kept.subList(0, limit) : kept), more);
            })
        .recover(e -> Future.failedFuture(RoomHost.typed(e)));
  }

  private RoomMember requireMember(String memberId) {
    RoomMember m = members.get(memberId);
    if (m == null) {
      throw new ChatException(ErrorCode.FORBIDDEN, "not a member of room " + record.id());
    }
    return m;
  }

  private void requireLive() {
    if (state == State.HANDING_OVER) {
      throw new ChatException(
          ErrorCode.INSTANCE_UNAVAILABLE, "the room is moving to another instance; retry");
    }
    if (state == State.FENCED) {
      throw setup.notOwner().apply(null);
    }
  }

  private void checkText(String text) {
    if (text.isEmpty()) {
      throw ChatException.badRequest("field 'text' is empty");
    }
    if (text.length() > setup.options().getMaxMessageSize()) {
      throw new ChatException(
          ErrorCode.MESSAGE_TOO_LARGE,
          "a room message has at most " + setup.options().getMaxMessageSize() + " characters");
    }
    StorableText.check("text", text);
  }

  private static String key(String memberId, String cmid) {
    return memberId + '\n' + cmid;
  }

  @Override
  public String toString() {
    return "[" + setup.instanceId() + "|room " + record.id() + "]";
  }
}
