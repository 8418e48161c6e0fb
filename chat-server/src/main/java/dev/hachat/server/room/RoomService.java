package dev.hachat.server.room;

import dev.hachat.common.config.ClientTls;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.ChatServerOptions;
import dev.hachat.server.metrics.RoomKpi;
import dev.hachat.server.ops.SurvivorClient;
import dev.hachat.store.StoreOptions;
import dev.hachat.store.room.RoomStores;
import dev.hachat.store.spi.RoomStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rooms of one instance as its process wires them (docs/rooms.md): the room store, the {@link
 * RoomHost} and its {@link RoomMoves}; started once the instance serves, handed over on a clean
 * stop, closed with the instance. Thread-safe (its parts are).
 */
public final class RoomService {
  private static final Logger LOG = LoggerFactory.getLogger(RoomService.class);

  private final RoomStore store;
  private final boolean ownsStore;
  private final RoomHost host;
  private final RoomMoves moves;

  private RoomService(RoomStore store, boolean ownsStore, RoomHost host, RoomMoves moves) {
    this.store = store;
    this.ownsStore = ownsStore;
    this.host = host;
    this.moves = moves;
  }

  /**
   * The room store {@code options} ask for: PostgreSQL ({@code ucs.postgres}, schema migrated on
   * first use) when UCS is on, memory with {@code store.type: memory} (one process), else none
   * (null: rooms off).
   */
  public static Future<RoomStore> openStore(Vertx vertx, ChatServerOptions options) {
    if (!options.getRooms().isEnabled()) {
      return Future.succeededFuture(null);
    }
    if (options.getUcs().isEnabled()) {
      // Like the contact history: an unreachable PostgreSQL does not keep the instance from
      // starting; rooms answer STORE_UNAVAILABLE until it is back.
      return Future.succeededFuture(
          RoomStores.postgresStartingAnyway(vertx, options.getUcs().getPostgres()));
    }
    return Future.succeededFuture(
        options.getStore().getType() == StoreOptions.Type.MEMORY ? RoomStores.inMemory() : null);
  }

  /**
   * The rooms of instance {@code instanceId} on {@code store}; {@code ownsStore}: {@link #close()}
   * shuts it down (false for a store the process's instances share).
   *
   * @param peerAuthorization the {@code Authorization} of calls to the other instances' admin ports
   *     (its peer token; null in open mode)
   */
  public static RoomService create(
      Vertx vertx,
      String instanceId,
      RoomStore store,
      boolean ownsStore,
      Membership membership,
      ChatServerOptions options,
      RoomKpi kpi,
      Supplier<String> peerAuthorization,
      ClientTls tls) {
    RoomHost host =
        RoomHost.create(
            vertx, instanceId, store, membership, options.getRooms(), kpi, Clock.systemUTC());
    long handOver = options.getOps().getHandOverTimeout();
    RoomMoves moves =
        new RoomMoves(host, new SurvivorClient(vertx, handOver, peerAuthorization, tls), handOver);
    return new RoomService(store, ownsStore, host, moves);
  }

  public RoomHost host() {
    return host;
  }

  public RoomMoves moves() {
    return moves;
  }

  /** Starts the sweep of dead hosts' rooms and, if asked, automatic rebalancing. */
  public void start() {
    host.start();
    moves.start();
  }

  /** Takes no rooms any more and hands every room to another instance (a clean stop). */
  public Future<Void> handOverAll() {
    stop();
    return moves
        .handOverAll()
        .onSuccess(r -> LOG.info("[{}] rooms handed over: {}", host.instanceId(), r.encode()))
        .mapEmpty();
  }

  /** Stops the sweep and the rebalancing. */
  public void stop() {
    host.stop();
    moves.stop();
  }

  /** The lease lapsed: every room here is fenced. */
  public void onLeaseLost() {
    host.onLeaseLost();
  }

  /** Closes the room store if this instance owns it. */
  public Future<Void> close() {
    return ownsStore ? store.shutdown() : Future.succeededFuture();
  }
}
