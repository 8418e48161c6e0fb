package dev.hachat.interaction;

import static dev.hachat.interaction.leader.PeerFrames.*;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.interaction.agents.Desks;
import dev.hachat.interaction.leader.LocalAccess;
import dev.hachat.interaction.leader.PeerFrames;
import dev.hachat.interaction.leader.PeerSession;
import dev.hachat.interaction.leader.RemoteAccess;
import dev.hachat.interaction.leader.RouterAccess;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.Offer;
import dev.hachat.interaction.routing.Router;
import dev.hachat.store.Lease;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which interaction server routes, and how this one's agents reach the router (docs/interaction.md,
 * "Several interaction servers"). While this server holds the routing lease its {@link Router}
 * leads and the others' peer links ({@link PeerSession}) are served here; otherwise its agents'
 * calls go to the holder over a {@link RemoteAccess}, opened when the lease names a new holder and
 * again after it drops. Either way every agent is registered again with the new router, and offers
 * of older epochs are withdrawn from the desktops. The router's decisions go to each agent's home:
 * this server's desks, or the peer link of the agent's server.
 *
 * <p>Threading: confined to the switchboard's context; the lease's and the links' callbacks hop
 * onto it.
 */
final class RoutingRole {
  private static final Logger LOG = LoggerFactory.getLogger(RoutingRole.class);

  /** How a peer link is opened: the transport's options. */
  record PeerDial(String tlsTrustFile, Supplier<String> token, long requestTimeoutMs) {}

  private final Vertx vertx;
  private final OwnContext context;
  private final Router router;
  private final Supplier<Desks> desks;
  private final String self;
  private final PeerDial dial;
  private final long graceMs;
  private final Map<String, PeerSession> peers = new HashMap<>();
  private final Map<String, Long> forgetTimers = new HashMap<>();
  private RouterAccess access;
  private RemoteAccess remote;
  private boolean dialling;
  private Lease holder; // the lease as last observed, held by another server

  RoutingRole(
      Vertx vertx,
      OwnContext context,
      Router router,
      Supplier<Desks> desks,
      String self,
      PeerDial dial,
      long graceMs) {
    this.vertx = vertx;
    this.context = context;
    this.router = router;
    this.desks = desks;
    this.self = self;
    this.dial = dial;
    this.graceMs = graceMs;
    this.access = new LocalAccess(router, self, this::moved); // alone: this router leads
  }

  /** The router this server's agents use now. */
  RouterAccess access() {
    return access;
  }

  /** This server is one of several: it routes only once elected. */
  void joinGroup() {
    router.follow();
    access = RouterAccess.NONE;
  }

  /** The lease's holder string of this server reachable at {@code host:port}. */
  static String holder(String id, String host, int port) {
    return id + "@" + host + ":" + port;
  }

  // ---- the lease ----------------------------------------------------------------------------

  void elected(long epoch, java.util.function.BooleanSupplier valid) {
    LOG.info("[{}] routes now (epoch {})", self, epoch);
    closeRemote();
    holder = null;
    router.lead(epoch, valid);
    access = new LocalAccess(router, self, this::moved);
    desks.get().fence(epoch);
    desks.get().registerAll();
  }

  void deposed(long epoch, String why) {
    LOG.warn("[{}] routes no more (epoch {}: {})", self, epoch, why);
    router.follow();
    access = RouterAccess.NONE;
    peers.values().forEach(PeerSession::close);
    peers.clear();
    forgetTimers.values().forEach(context::cancelTimer);
    forgetTimers.clear();
  }

  /** The lease as read; held by another server: connect to it. */
  void observed(Lease lease, long highestEpoch) {
    desks.get().fence(highestEpoch);
    if (!lease.held() || lease.holder().startsWith(self + "@")) {
      return;
    }
    if (holder == null
        || holder.epoch() != lease.epoch()
        || !holder.holder().equals(lease.holder())) {
      holder = lease;
      closeRemote();
      access = RouterAccess.NONE;
    }
    dial();
  }

  /** Every heartbeat: a link to the holder that dropped or failed is opened again. */
  void tick() {
    if (holder != null && remote == null) {
      dial();
    }
  }

  private void dial() {
    if (dialling || remote != null || holder == null) {
      return;
    }
    Lease target = holder;
    String h = target.holder();
    String address = h.substring(h.lastIndexOf('@') + 1);
    int colon = address.lastIndexOf(':');
    String host = address.substring(0, colon);
    int port = Integer.parseInt(address.substring(colon + 1));
    dialling = true;
    RemoteAccess.connect(
            vertx,
            host,
            port,
            dial.tlsTrustFile(),
            self,
            dial.token().get(),
            target.epoch(),
            dial.requestTimeoutMs(),
            e -> context.run(() -> fromRouter(e)),
            () -> context.run(this::remoteClosed))
        .onComplete(
            ar ->
                context.run(
                    () -> {
                      dialling = false;
                      if (ar.failed()) {
                        LOG.debug(
                            "[{}] peer link to {} failed: {}", self, h, ar.cause().toString());
                        return;
                      }
                      RemoteAccess r = ar.result();
                      if (holder != target) {
                        r.close(); // the lease moved on meanwhile
                        return;
                      }
                      LOG.info("[{}] routes through {} (epoch {})", self, h, target.epoch());
                      remote = r;
                      access = r;
                      desks.get().registerAll();
                    }));
  }

  private void remoteClosed() {
    if (remote != null && remote.isClosed()) {
      remote.close(); // its client too
      remote = null;
      access = RouterAccess.NONE;
    }
  }

  private void closeRemote() {
    if (remote != null) {
      remote.close();
      remote = null;
    }
  }

  private void fromRouter(JsonObject e) {
    Desks d = desks.get();
    switch (e.getString("event", "")) {
      case EVENT_OFFER -> d.offered(PeerFrames.offer(e));
      case EVENT_REVOKED ->
          d.revoked(e.getString("agentId"), e.getString("offerId"), e.getString("reason"));
      case EVENT_STATE ->
          d.stateChanged(
              e.getString("agentId"),
              PeerFrames.state(e.getString("state")),
              e.getString("reason"));
      case EVENT_MOVED -> d.movedAway(e.getString("agentId"));
      default -> {}
    }
  }

  // ---- the router's decisions, to each agent's home -----------------------------------------

  void offer(Offer o) {
    PeerSession p = remoteHome(o.agentId());
    if (p == null) {
      desks.get().offered(o);
    } else {
      p.event(EVENT_OFFER, PeerFrames.offer(o));
    }
  }

  void revoked(Offer o, String reason) {
    PeerSession p = remoteHome(o.agentId());
    if (p == null) {
      desks.get().revoked(o.agentId(), o.offerId(), reason);
    } else {
      p.event(
          EVENT_REVOKED,
          new JsonObject()
              .put("agentId", o.agentId())
              .put("offerId", o.offerId())
              .put("chatId", o.chat().chatId())
              .put("reason", reason));
    }
  }

  void stateChanged(String agentId, AgentState state, String reason) {
    PeerSession p = remoteHome(agentId);
    if (p == null) {
      desks.get().stateChanged(agentId, state, reason);
    } else {
      p.event(
          EVENT_STATE,
          new JsonObject()
              .put("agentId", agentId)
              .put("state", state.wireName())
              .put("reason", reason));
    }
  }

  /** The peer link of the agent's home; null if that is this server. */
  private PeerSession remoteHome(String agentId) {
    String home = router.homeOf(agentId);
    return home.isEmpty() || home.equals(self) ? null : peers.get(home);
  }

  private void moved(String formerHome, String agentId) {
    if (formerHome.equals(self)) {
      desks.get().movedAway(agentId);
    } else {
      PeerSession p = peers.get(formerHome);
      if (p != null) {
        p.event(EVENT_MOVED, new JsonObject().put("agentId", agentId));
      }
    }
  }

  // ---- peer links served here ---------------------------------------------------------------

  final PeerSession.Host host =
      new PeerSession.Host() {
        @Override
        public void attached(String server, PeerSession session) {
          Long t = forgetTimers.remove(server);
          if (t != null) {
            context.cancelTimer(t);
          }
          PeerSession before = peers.put(server, session);
          if (before != null && before != session) {
            before.close();
          }
        }

        @Override
        public void detached(String server, PeerSession session) {
          if (!peers.remove(server, session)) {
            return;
          }
          router.homeGone(server);
          forgetTimers.put(
              server,
              context.setTimer(
                  Math.max(1, graceMs),
                  t -> {
                    forgetTimers.remove(server);
                    if (!peers.containsKey(server)) {
                      router.forgetHome(server);
                    }
                  }));
        }

        @Override
        public void moved(String formerHome, String agentId) {
          RoutingRole.this.moved(formerHome, agentId);
        }
      };

  /** Ends the links (a graceful stop). */
  Future<Void> stop() {
    peers.values().forEach(PeerSession::close);
    peers.clear();
    closeRemote();
    return Future.succeededFuture();
  }
}
