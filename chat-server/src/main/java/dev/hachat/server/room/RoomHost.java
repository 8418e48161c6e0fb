package dev.hachat.server.room;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.common.limit.KeyedRateLimiter;
import dev.hachat.common.text.StorableText;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.RoomOptions;
import dev.hachat.server.metrics.RoomKpi;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.Ownership;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.RoomMember;
import dev.hachat.store.room.RoomRecord;
import dev.hachat.store.room.RoomRole;
import dev.hachat.store.room.StoredRoom;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms this instance hosts (docs/rooms.md): creates them, finds or restores them ({@link
 * RoomClaims}), fences them all when the lease lapses, and restores the rooms of dead hosts every
 * {@code rooms.restore-interval} (each room by its heir) and its own rooms that nobody holds (after
 * a restart). Hand-overs and rebalancing are {@link RoomMoves}.
 *
 * <p>Threading: the rooms are in a concurrent map (each room confined to its own context); the
 * sweep runs on the host's own context; everything else is thread-safe.
 */
public final class RoomHost {
  private static final Logger LOG = LoggerFactory.getLogger(RoomHost.class);
  private static final long MOVED_MEMORY_NANOS = 30_000_000_000L;
  private static final int SWEEP_PAGE = 500;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final int MAX_KEYS = 100_000;

  private record Moved(String instanceId, long untilNanos) {}

  private final RoomSetup setup;
  private final Membership membership;
  private final OwnContext context;
  private final Map<String, Room> rooms = new ConcurrentHashMap<>();

  /** Rooms being created here: stored, not yet installed ({@link #create}). */
  private final java.util.Set<String> creating = ConcurrentHashMap.newKeySet();

  private final Map<String, Moved> moved = new ConcurrentHashMap<>();
  private final RoomClaims claims;
  private final KeyedRateLimiter creates;
  private volatile boolean stopping;
  private long sweepTimer = -1;
  private boolean sweeping;

  private RoomHost(RoomSetup setup, Membership membership) {
    this.setup = setup;
    this.membership = membership;
    this.context = OwnContext.create(setup.vertx());
    this.claims =
        new RoomClaims(
            setup,
            membership,
            new RoomClaims.Host() {
              @Override
              public Future<BooleanSupplier> admit() {
                return RoomHost.this.admit();
              }

              @Override
              public String movedTo(String roomId) {
                return RoomHost.this.movedTo(roomId);
              }

              @Override
              public Room install(
                  StoredRoom stored, Ownership claimed, BooleanSupplier g, List<RoomEntry> recent) {
                return RoomHost.this.install(stored, claimed.epoch(), g, recent);
              }
            });
    setup.kpi().gauges(rooms::size, this::presentCount);
    this.creates =
        KeyedRateLimiter.create(
            setup.options().getCreatesPerMinute(), setup.options().getCreatesBurst(), MAX_KEYS);
  }

  /** A host of rooms on {@code store}, guarded by {@code membership}; {@link #start()} it. */
  public static RoomHost create(
      Vertx vertx,
      String instanceId,
      RoomStore store,
      Membership membership,
      RoomOptions options,
      RoomKpi kpi,
      Clock clock) {
    return new RoomHost(
        new RoomSetup(
            vertx,
            instanceId,
            store,
            options,
            kpi,
            clock,
            owner -> notOwner(membership, owner),
            KeyedRateLimiter.create(
                options.getPostsPerMinute(), options.getPostsBurst(), MAX_KEYS)),
        membership);
  }

  /** Starts the sweep of dead hosts' rooms. */
  public void start() {
    context.run(
        () ->
            sweepTimer =
                context.setPeriodic(
                    setup.options().getRestoreInterval(),
                    t -> {
                      setup.posts().evictIdle();
                      creates.evictIdle();
                      if (!sweeping) {
                        sweeping = true;
                        sweep().onComplete(x -> context.run(() -> sweeping = false));
                      }
                    }));
  }

  /** Stops taking and restoring rooms (before the hand-over of a clean shutdown). */
  public void stop() {
    stopping = true;
    context.run(
        () -> {
          if (sweepTimer >= 0) {
            context.cancelTimer(sweepTimer);
          }
        });
  }

  public String instanceId() {
    return setup.instanceId();
  }

  RoomSetup setup() {
    return setup;
  }

  Membership membership() {
    return membership;
  }

  /** Creates a room hosted here with {@code creator} as its owner. */
  public Future<Room> create(
      String creator, String name, String topic, boolean inviteOnly, Integer memberLimit) {
    RoomOptions o = setup.options();
    if (name.isBlank() || name.length() > o.getMaxNameSize()) {
      throw ChatException.badRequest("field 'name' has 1 to " + o.getMaxNameSize() + " characters");
    }
    if (topic.length() > o.getMaxTopicSize()) {
      throw ChatException.badRequest(
          "field 'topic' has at most " + o.getMaxTopicSize() + " characters");
    }
    StorableText.check("name", name);
    StorableText.check("topic", topic);
    int limit = memberLimit == null ? o.getDefaultMemberLimit() : memberLimit;
    if (limit < 1 || limit > o.getMaxMembersPerRoom()) {
      throw ChatException.badRequest(
          "field 'memberLimit' is between 1 and " + o.getMaxMembersPerRoom());
    }
    if (!creates.tryAcquire(creator)) {
      setup.kpi().createLimited();
      return Future.failedFuture(
          new ChatException(
              ErrorCode.RATE_LIMITED, "too many rooms created (rooms.creates-per-minute)"));
    }
    long now = setup.clock().millis();
    RoomRecord r = new RoomRecord(newId(), name, topic, inviteOnly, limit, creator, now);
    RoomMember owner = new RoomMember(creator, RoomRole.OWNER, now);
    // Stored before it is installed: until then the sweep must not take it for a room of this
    // instance that it lost (a claim of epoch 2 would drop what epoch 1 acknowledges meanwhile).
    creating.add(r.id());
    return admit()
        .compose(
            guard ->
                setup
                    .store()
                    .create(r, owner, setup.instanceId())
                    .map(
                        ownership ->
                            install(
                                new StoredRoom(r, ownership, Map.of(creator, owner), 0),
                                1,
                                guard,
                                List.of())))
        .onComplete(ar -> creating.remove(r.id()))
        .recover(e -> Future.failedFuture(typed(e)));
  }

  /** The room, hosted here or restored here now; {@code NOT_OWNER} naming its host otherwise. */
  public Future<Room> find(String roomId) {
    Room r = rooms.get(roomId);
    if (r != null && r.isLive()) {
      return Future.succeededFuture(r);
    }
    if (r != null || creating.contains(roomId)) {
      return Future.failedFuture(
          new ChatException(ErrorCode.INSTANCE_UNAVAILABLE, "the room is moving; retry"));
    }
    if (stopping) {
      String next = movedTo(roomId);
      return Future.failedFuture(
          next != null
              ? setup.notOwner().apply(next)
              : new ChatException(ErrorCode.INSTANCE_UNAVAILABLE, "this instance is stopping"));
    }
    return claims.restore(roomId);
  }

  /** The rooms hosted here now. */
  public List<Room> hosted() {
    return new ArrayList<>(rooms.values());
  }

  /** {@code NOT_OWNER} naming {@code instanceId} with its addresses when known. */
  public ChatException notOwner(String instanceId) {
    return setup.notOwner().apply(instanceId);
  }

  /** Room ids a member belongs to (whichever instance hosts them). */
  public Future<List<String>> roomsOf(String memberId) {
    return setup.store().roomsOfMember(memberId).recover(e -> Future.failedFuture(typed(e)));
  }

  int presentCount() {
    int n = 0;
    for (Room r : rooms.values()) {
      n += r.presentCount();
    }
    return n;
  }

  /** The lease lapsed (R1): every room here is fenced; its members go elsewhere. */
  public void onLeaseLost() {
    rooms.values().forEach(r -> r.fence(null, null));
  }

  /** Remembers where a room went (answers for it name that instance for a while). */
  void movedAway(String roomId, String instanceId) {
    if (instanceId != null) {
      moved.put(roomId, new Moved(instanceId, System.nanoTime() + MOVED_MEMORY_NANOS));
    }
  }

  String movedTo(String roomId) {
    Moved m = moved.get(roomId);
    if (m == null) {
      return null;
    }
    if (System.nanoTime() - m.untilNanos() > 0) {
      moved.remove(roomId, m);
      return null;
    }
    return m.instanceId();
  }

  private Room install(
      StoredRoom stored, long epoch, BooleanSupplier guard, List<RoomEntry> recent) {
    Room room =
        new Room(setup, stored, epoch, guard, recent, gone -> rooms.remove(gone.id(), gone));
    Room old = rooms.put(stored.room().id(), room);
    if (old != null) {
      old.fence(null, null);
    }
    return room;
  }

  /**
   * The acknowledge guard of a room created or claimed now, taken before the write is sent (R7), or
   * the refusal: stopping, {@code rooms.limit-for-rooms} reached, no lease or in quarantine.
   */
  Future<BooleanSupplier> admit() {
    if (stopping) {
      return Future.failedFuture(
          new ChatException(ErrorCode.INSTANCE_UNAVAILABLE, "this instance is stopping"));
    }
    if (rooms.size() >= setup.options().getLimitForRooms()) {
      return Future.failedFuture(
          new ChatException(
              ErrorCode.ROOM_LIMIT_REACHED,
              "this instance hosts " + setup.options().getLimitForRooms() + " rooms; use another"));
    }
    BooleanSupplier guard = membership.ownershipGuard();
    return guard != null
        ? Future.succeededFuture(guard)
        : Future.failedFuture(
            new ChatException(
                ErrorCode.INSTANCE_UNAVAILABLE, "this instance takes no rooms just now; retry"));
  }

  /**
   * Restores the rooms of dead hosts whose heir this is, and this instance's own rooms that it does
   * not hold (after a restart); completes when every restore tried has ended.
   */
  Future<Void> sweep() {
    if (stopping) {
      return Future.succeededFuture();
    }
    List<String> hosts = new ArrayList<>(membership.dead());
    hosts.add(setup.instanceId());
    List<Future<?>> all = new ArrayList<>();
    for (String h : hosts) {
      all.add(
          setup
              .store()
              .roomsOf(h, "", SWEEP_PAGE)
              .compose(ids -> Future.join(restoreMine(h, ids))));
    }
    return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
  }

  private List<Future<Room>> restoreMine(String formerHost, List<String> ids) {
    boolean own = formerHost.equals(setup.instanceId());
    List<Future<Room>> out = new ArrayList<>();
    for (String id : ids) {
      boolean mine =
          own ? movedTo(id) == null : setup.instanceId().equals(claims.heirOf(id, formerHost));
      if (mine && !rooms.containsKey(id) && !creating.contains(id)) {
        out.add(
            find(id)
                .onFailure(
                    e ->
                        LOG.debug(
                            "[{}|room {}] not restored: {}",
                            setup.instanceId(),
                            id,
                            e.toString())));
      }
    }
    return out;
  }

  /** A store failure as the answer a client sees. */
  static ChatException typed(Throwable e) {
    if (e instanceof ChatException ce) {
      return ce;
    }
    if (StoreException.is(e, StoreErrorKind.NOT_FOUND)) {
      return new ChatException(ErrorCode.ROOM_NOT_FOUND, "no room with this id");
    }
    if (StoreException.is(e, StoreErrorKind.REJECTED)) {
      return ChatException.badRequest("the store refused the data");
    }
    return new ChatException(ErrorCode.STORE_UNAVAILABLE, "the room store did not answer; retry");
  }

  private static ChatException notOwner(Membership membership, String owner) {
    JsonObject details = new JsonObject();
    if (owner != null) {
      details.put("owner", owner);
      membership
          .record(owner)
          .ifPresent((InstanceRecord r) -> details.put("esp", r.esp()).put("admin", r.admin()));
    }
    return new ChatException(
        ErrorCode.NOT_OWNER,
        owner == null
            ? "this instance no longer hosts the room; ask any instance"
            : "instance " + owner + " hosts this room; send the request there",
        details);
  }

  private static String newId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}
