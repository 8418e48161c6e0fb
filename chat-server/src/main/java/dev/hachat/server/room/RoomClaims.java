package dev.hachat.server.room;

import dev.hachat.server.cluster.Membership;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.Ownership;
import dev.hachat.store.Rendezvous;
import dev.hachat.store.StoreErrorKind;
import dev.hachat.store.StoreException;
import dev.hachat.store.room.RoomEntry;
import dev.hachat.store.room.StoredRoom;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a room this instance does not host into it, by the chat rules (docs/consistency.md): load
 * it; if its host is this instance, released it, or is dead by R3 (evidence from before the load,
 * on a fresh view), claim the next epoch by compare-and-set with the ownership guard taken before
 * the claim is sent (R7); a room whose dead host has another heir ({@link Rendezvous} over the
 * living instances) is that heir's; a live host is never robbed ({@code NOT_OWNER} naming it).
 * Concurrent requests for one room share one restore. Thread-safe.
 */
final class RoomClaims {
  private static final Logger LOG = LoggerFactory.getLogger(RoomClaims.class);

  /** What the claims need of the host. */
  interface Host {
    /**
     * The acknowledge guard of a room claimed now, taken before the claim is sent (R7), or the
     * refusal (stopping, room limit reached, quarantine).
     */
    Future<BooleanSupplier> admit();

    /** The instance this one handed the room to lately, or null. */
    String movedTo(String roomId);

    /** Puts a claimed room into service. */
    Room install(
        StoredRoom stored, Ownership claimed, BooleanSupplier guard, List<RoomEntry> recent);
  }

  private final RoomSetup setup;
  private final Membership membership;
  private final Host host;
  private final Map<String, Future<Room>> inFlight = new ConcurrentHashMap<>();

  RoomClaims(RoomSetup setup, Membership membership, Host host) {
    this.setup = setup;
    this.membership = membership;
    this.host = host;
  }

  Future<Room> restore(String roomId) {
    Promise<Room> promise = Promise.promise();
    Future<Room> running = inFlight.putIfAbsent(roomId, promise.future());
    if (running != null) {
      return running;
    }
    load(roomId, 1)
        .recover(e -> Future.failedFuture(RoomHost.typed(e)))
        .onComplete(
            ar -> {
              inFlight.remove(roomId, promise.future());
              promise.handle(ar);
            });
    return promise.future();
  }

  private Future<Room> load(String roomId, int reloads) {
    long loadStarted = membership.nanoTime();
    return setup.store().load(roomId).compose(s -> decide(s, loadStarted, reloads));
  }

  private Future<Room> decide(StoredRoom stored, long loadStarted, int reloads) {
    Ownership o = stored.host();
    String self = setup.instanceId();
    String roomId = stored.room().id();
    if (o.owner().equals(self)) {
      String moved = o.released() ? host.movedTo(roomId) : null;
      return moved != null
          ? Future.failedFuture(setup.notOwner().apply(moved))
          : claim(stored, reloads);
    }
    if (o.released()) {
      return claim(stored, reloads);
    }
    return membership
        .freshView()
        .transform(
            ar -> {
              if (membership.deadSince(o.owner(), loadStarted)) {
                String heir = heirOf(roomId, o.owner());
                if (heir != null && !heir.equals(self)) {
                  return Future.failedFuture(setup.notOwner().apply(heir));
                }
                return claim(stored, reloads);
              }
              if (reloads > 0 && !membership.isAlive(o.owner())) {
                // It died after the load began and may have written meanwhile: load again.
                return load(roomId, reloads - 1);
              }
              return Future.failedFuture(setup.notOwner().apply(o.owner()));
            });
  }

  /** The living instance that restores a dead host's room (this one included), or null. */
  String heirOf(String roomId, String deadHost) {
    Predicate<InstanceRecord> candidate = r -> !r.instanceId().equals(deadHost);
    return Rendezvous.pick(
            roomId,
            membership.alive().stream().filter(candidate).toList(),
            InstanceRecord::instanceId)
        .map(InstanceRecord::instanceId)
        .orElse(null);
  }

  private Future<Room> claim(StoredRoom stored, int reloads) {
    Ownership o = stored.host();
    String roomId = stored.room().id();
    int window = setup.options().getIdempotenceWindow();
    // The guard is taken before the claim is sent: a claim sent under one lease never acknowledges
    // under a later one, and none is sent in quarantine (R7).
    return host.admit()
        .compose(
            guard ->
                setup
                    .store()
                    .claim(roomId, o.epoch(), setup.instanceId(), stored.lastIndex())
                    .compose(
                        claimed ->
                            (window == 0
                                    ? Future.succeededFuture(List.<RoomEntry>of())
                                    : setup
                                        .store()
                                        .read(roomId, stored.lastIndex() + 1, false, window))
                                .map(recent -> host.install(stored, claimed, guard, recent))))
        .compose(
            room -> {
              LOG.info(
                  "{} claimed from {} at epoch {} ({} entries)",
                  room,
                  o.owner(),
                  room.epoch(),
                  stored.lastIndex());
              setup.kpi().restored();
              return room.noticeMoved(o.owner())
                  .map(e -> room)
                  .recover(e -> Future.succeededFuture(room));
            },
            e -> {
              if (StoreException.is(e, StoreErrorKind.CONFLICT)) {
                StoreException se = (StoreException) e;
                if (se.current().owner().equals(setup.instanceId()) && reloads > 0) {
                  return load(roomId, 0); // our own earlier claim won: claim from what is there
                }
                return Future.failedFuture(setup.notOwner().apply(se.current().owner()));
              }
              return Future.failedFuture(e);
            });
  }
}
