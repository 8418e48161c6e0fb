package dev.hachat.interaction.agents;

import static dev.hachat.interaction.agents.AgentFrames.*;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.interaction.config.AgentProfile;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.interaction.leader.RouterAccess;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.Offer;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents at this interaction server (their home), each with its {@link Desk}: the home keeps
 * each agent's state, its chats and its relay to the instances, and registers them with the router
 * ({@link RouterAccess}: in this process or at the server holding the routing lease), again with
 * every new router. A desktop that drops keeps its chats for {@code routing.disconnect-grace}; a
 * login within it takes them back, after it they are left (they wait for an agent again, this one
 * first). Offers made under an older routing epoch than the highest seen are withdrawn ({@link
 * #fence}).
 *
 * <p>Threading: confined to the switchboard's context; the relays' callbacks hop onto it.
 */
public final class Desks {
  /** How soon a registration the router could not take is sent again. */
  static final long RETRY_REGISTER_MS = 1_000;

  private static final Logger LOG = LoggerFactory.getLogger(Desks.class);

  private final Vertx vertx;
  private final OwnContext context;
  private final Supplier<RouterAccess> router;
  private final InteractionOptions options;
  private final Supplier<List<String>> endpoints;
  private final java.util.function.BiFunction<String, Boolean, String> tokenFor;
  private final Map<String, Desk> desks = new HashMap<>();

  private final Invitations invitations;

  /** The agents of this server working on each chat (two or more in a conference). */
  private final Map<String, Set<String>> agentsOfChat = new HashMap<>();

  private long fence;

  /**
   * @param router the router now
   * @param endpoints the ESP addresses of the instances reachable now
   * @param tokenFor a login token for an agent's relay (with the supervisor role too when the
   *     second argument is true); {@code null} result: open mode
   */
  public Desks(
      Vertx vertx,
      OwnContext context,
      Supplier<RouterAccess> router,
      InteractionOptions options,
      Supplier<List<String>> endpoints,
      java.util.function.BiFunction<String, Boolean, String> tokenFor) {
    this.vertx = vertx;
    this.context = context;
    this.router = router;
    this.options = options;
    this.endpoints = endpoints;
    this.tokenFor = tokenFor;
    this.invitations = new Invitations(this, context, options);
  }

  /**
   * A desktop logged in: it replaces an earlier connection of the agent. The reply: the agent as
   * the router has it (as this home has it while no router answers) and the chats it works on.
   */
  public Future<JsonObject> connect(String agentId, String nickname, AgentLink link) {
    return connect(agentId, nickname, link, false);
  }

  /**
   * As above; {@code supervisor}: the login has the supervisor role, which its relay then has at
   * the instances too (to watch chats).
   */
  public Future<JsonObject> connect(
      String agentId, String nickname, AgentLink link, boolean supervisor) {
    Desk d = desks.computeIfAbsent(agentId, id -> new Desk(id, nickname));
    d.supervisor = supervisor;
    AgentLink before = d.link;
    d.link = link;
    if (before != null && before != link) {
      before.close(CLOSE_REPLACED, "another login of this agent took its place");
    }
    if (d.graceTimer >= 0) {
      context.cancelTimer(d.graceTimer);
      d.graceTimer = -1;
    }
    return register(d)
        .map(view -> view.put("chats", new io.vertx.core.json.JsonArray(List.copyOf(d.chats))));
  }

  /**
   * The desktop says it works on {@code chatId} (it logged in here after its server was lost): its
   * relay accepts the chat again as this agent, which the instance answers with the agent's own
   * seat (or ALREADY_TAKEN if somebody else has it).
   */
  public Future<Void> reattach(String agentId, String chatId) {
    Desk d = desk(agentId);
    if (d.chats.contains(chatId)) {
      return Future.succeededFuture();
    }
    return relay(agentId)
        .compose(r -> r.accept(chatId))
        .compose(
            chat ->
                context.call(
                    () -> {
                      joined(agentId, chatId);
                      if (seatIsInternal(chat)) {
                        d.consulting.add(chatId); // it came back to a consult: lines stay internal
                      }
                      return register(d).mapEmpty();
                    }));
  }

  /** Whether the agent's own seat in {@code chat} is internal (its last join: a consult). */
  private static boolean seatIsInternal(dev.hachat.esp.client.AcceptedChat chat) {
    dev.hachat.store.Visibility seat = dev.hachat.store.Visibility.ALL;
    for (dev.hachat.store.Entry e : chat.entries()) {
      if (e.type() == dev.hachat.store.EntryType.PARTICIPANT_JOINED
          && e.participantId().equals(chat.participantId())) {
        seat = e.visibility();
      }
    }
    return seat == dev.hachat.store.Visibility.INT;
  }

  /**
   * After a login's re-attaches: the agent registered again with the chats it has now, if {@code
   * link} is still its connection (else the view as this home knows it, for a reply nobody reads).
   */
  public Future<JsonObject> loggedIn(String agentId, AgentLink link) {
    Desk d = desks.get(agentId);
    if (d == null || d.link != link) {
      return Future.succeededFuture(
          d == null ? new JsonObject().put("agentId", agentId) : withChats(localView(d), d));
    }
    return register(d)
        .map(view -> view.put("chats", new io.vertx.core.json.JsonArray(List.copyOf(d.chats))));
  }

  private static JsonObject withChats(AgentView v, Desk d) {
    return AgentFrames.agent(v)
        .put("chats", new io.vertx.core.json.JsonArray(List.copyOf(d.chats)));
  }

  /** Registers every agent with the router (a new one, or this process became it). */
  public void registerAll() {
    desks.values().forEach(this::register);
  }

  Future<JsonObject> register(Desk d) {
    RouterAccess r = router.get();
    Future<AgentView> view = r.online(registration(d));
    if (d.link == null) {
      r.offline(d.agentId); // in its grace period: known, but no offers
    }
    return context
        .back(view)
        .map(
            v -> {
              d.state = v.state();
              d.reason = v.reason();
              return AgentFrames.agent(v);
            })
        .otherwise(e -> AgentFrames.agent(localView(d)));
  }

  private RouterAccess.Registration registration(Desk d) {
    AgentProfile p = options.getAgents().get(d.agentId);
    int capacity =
        p != null && p.getCapacity() > 0
            ? p.getCapacity()
            : options.getRouting().getDefaultCapacity();
    List<String> skills =
        p != null && !p.getSkills().isEmpty()
            ? p.getSkills()
            : options.getRouting().getDefaultSkills();
    return new RouterAccess.Registration(
        d.agentId,
        capacity,
        Set.copyOf(skills),
        Set.copyOf(d.chats),
        d.state,
        d.reason,
        d.link != null);
  }

  private AgentView localView(Desk d) {
    return new AgentView(
        d.agentId, d.state, d.reason, d.chats.size(), registration(d).capacity(), d.link != null);
  }

  /** This home's agents as it knows them (for a server that does not route). */
  public List<AgentView> views() {
    return desks.values().stream().map(this::localView).toList();
  }

  /** The agent sets its state: kept here, and told to the router; the router's view back. */
  public Future<JsonObject> setState(String agentId, AgentState state, String reason) {
    Desk d = desk(agentId);
    d.state = state;
    d.reason = state == AgentState.NOT_READY ? reason : "";
    return context
        .back(router.get().setState(agentId, state, reason))
        .map(AgentFrames::agent)
        .otherwise(
            e -> {
              // No router now: the state is kept here and registered again a second later (and
              // with every agent as soon as a router is reachable).
              context.setTimer(
                  RETRY_REGISTER_MS,
                  t -> {
                    if (desks.get(agentId) == d) {
                      register(d);
                    }
                  });
              return AgentFrames.agent(localView(d));
            });
  }

  /** The router changed the agent's state (missed offers, after-call work ended). */
  public void stateChanged(String agentId, AgentState state, String reason) {
    Desk d = desks.get(agentId);
    if (d != null) {
      d.state = state;
      d.reason = reason;
      d.event(EVENT_STATE, new JsonObject().put("state", state.wireName()).put("reason", reason));
    }
  }

  // ---- offers -------------------------------------------------------------------------------

  /** The router offers a chat to one of this home's agents. */
  public void offered(Offer o) {
    Desk d = desks.get(o.agentId());
    if (d == null || o.epoch() < fence) {
      return; // not here, or made by a router that has been replaced
    }
    d.offers.put(o.offerId(), o);
    d.event(EVENT_OFFER, AgentFrames.offer(o));
  }

  /** The router withdrew an offer. */
  public void revoked(String agentId, String offerId, String reason) {
    Desk d = desks.get(agentId);
    Offer o = d == null ? null : d.offers.remove(offerId);
    if (o != null) {
      d.event(EVENT_OFFER_REVOKED, revokedJson(o, reason));
    }
  }

  /** The agent's offer {@code offerId}, out now; NOT_FOUND otherwise. It is answered. */
  public Offer answering(String agentId, String offerId) {
    Offer o = desk(agentId).offers.remove(offerId);
    if (o == null) {
      throw new ChatException(
          ErrorCode.NOT_FOUND, "offer " + offerId + " is not out to you (expired or withdrawn)");
    }
    return o;
  }

  /**
   * The router could not take the answer to {@code o} now (the routing is changing hands): the
   * offer is out again, for the desktop to retry, unless it was withdrawn or fenced meanwhile.
   */
  public void unanswered(Offer o) {
    Desk d = desks.get(o.agentId());
    if (d != null && o.epoch() >= fence) {
      d.offers.putIfAbsent(o.offerId(), o);
    }
  }

  /**
   * A router at {@code epoch} decides now: offers of older epochs are withdrawn from the desktops
   * (reason {@code rerouted}); the new router offers those chats again.
   */
  public void fence(long epoch) {
    if (epoch <= fence) {
      return;
    }
    fence = epoch;
    for (Desk d : desks.values()) {
      for (Offer o : List.copyOf(d.offers.values())) {
        if (o.epoch() < epoch) {
          d.offers.remove(o.offerId());
          d.event(EVENT_OFFER_REVOKED, revokedJson(o, "rerouted"));
        }
      }
    }
  }

  private static JsonObject revokedJson(Offer o, String reason) {
    return new JsonObject()
        .put("offerId", o.offerId())
        .put("chatId", o.chat().chatId())
        .put("reason", reason);
  }

  // ---- connections --------------------------------------------------------------------------

  /** A desktop's connection dropped (nothing if a newer one replaced it). */
  public void dropped(String agentId, AgentLink link) {
    Desk d = desks.get(agentId);
    if (d == null || d.link != link) {
      return;
    }
    d.link = null;
    d.offers.clear();
    router.get().offline(agentId);
    d.graceTimer =
        context.setTimer(Math.max(1, options.getRouting().getDisconnectGrace()), t -> expire(d));
  }

  private void expire(Desk d) {
    if (d.link != null || desks.get(d.agentId) != d) {
      return;
    }
    desks.remove(d.agentId);
    LOG.info(
        "agent {} did not come back; {} chat(s) go back to the queue", d.agentId, d.chats.size());
    RouterAccess r = router.get();
    List<Future<Void>> leaving =
        d.chats.stream()
            .map(
                chatId -> {
                  unlink(chatId, d.agentId);
                  r.released(d.agentId, chatId);
                  return d.relay()
                      .compose(relay -> relay.leave(chatId, "DISCONNECTED"))
                      .otherwiseEmpty();
                })
            .toList();
    List<Future<Void>> unwatching =
        d.monitoring.stream()
            .map(chatId -> d.relay().compose(relay -> relay.leave(chatId)).otherwiseEmpty())
            .toList();
    d.monitoring.clear();
    r.forget(d.agentId);
    Future.join(java.util.stream.Stream.concat(leaving.stream(), unwatching.stream()).toList())
        .onComplete(ar -> d.shutdown());
  }

  /**
   * The agent's desktop logged in at another interaction server, which serves its chats now: its
   * desk here goes without leaving them.
   */
  public void movedAway(String agentId) {
    Desk d = desks.remove(agentId);
    if (d == null) {
      return;
    }
    LOG.info("agent {} is served by another interaction server now", agentId);
    if (d.graceTimer >= 0) {
      context.cancelTimer(d.graceTimer);
    }
    d.chats.forEach(chatId -> unlink(chatId, agentId));
    AgentLink l = d.link;
    if (l != null) {
      l.close(CLOSE_REPLACED, "another login of this agent took its place");
    }
    d.shutdown();
  }

  // ---- chats --------------------------------------------------------------------------------

  /** The agent's relay, connected on first use. */
  public Future<FailoverEspClient> relay(String agentId) {
    Desk d = desk(agentId);
    return d.relay(vertx, endpoints, () -> tokenFor.apply(agentId, d.supervisor), r -> wire(d, r));
  }

  private void wire(Desk d, FailoverEspClient r) {
    r.onEntry(
            (chatId, e) ->
                d.event(
                    EVENT_ENTRY,
                    new JsonObject().put("chatId", chatId).put("entry", EntryJson.toJson(e))))
        .onChatMoved(
            (chatId, esp) ->
                d.event(
                    EVENT_NOTICE,
                    new JsonObject()
                        .put("chatId", chatId)
                        .put("code", NOTICE_RESTORED)
                        .put("text", "the chat was restored on another server; it goes on")))
        .onChatClosed((chatId, reason) -> context.run(() -> closed(d, chatId, reason)));
    r.rooms()
        .onEvent(
            f -> {
              JsonObject body = f.copy();
              body.remove("type");
              String event = (String) body.remove("event");
              d.event(event, body);
            });
  }

  private void closed(Desk d, String chatId, String reason) {
    if (d.monitoring.remove(chatId)) {
      d.event(EVENT_CHAT_CLOSED, new JsonObject().put("chatId", chatId).put("reason", reason));
      return;
    }
    if (!d.chats.remove(chatId)) {
      return;
    }
    unlink(chatId, d.agentId);
    d.consulting.remove(chatId);
    router.get().chatEnded(d.agentId, chatId, "AGENT_CLOSED".equals(reason));
    d.event(EVENT_CHAT_CLOSED, new JsonObject().put("chatId", chatId).put("reason", reason));
  }

  /** The agent now works on the chat (its accept succeeded). */
  public void joined(String agentId, String chatId) {
    desk(agentId).chats.add(chatId);
    agentsOfChat.computeIfAbsent(chatId, k -> new java.util.LinkedHashSet<>()).add(agentId);
  }

  private void unlink(String chatId, String agentId) {
    Set<String> agents = agentsOfChat.get(chatId);
    if (agents != null && agents.remove(agentId) && agents.isEmpty()) {
      agentsOfChat.remove(chatId);
    }
  }

  private Set<String> agentsOf(String chatId) {
    return Set.copyOf(agentsOfChat.getOrDefault(chatId, Set.of()));
  }

  /** The agent left the chat. */
  public void left(String agentId, String chatId) {
    Desk d = desks.get(agentId);
    if (d != null) {
      d.chats.remove(chatId);
      d.consulting.remove(chatId);
    }
    unlink(chatId, agentId);
    router.get().left(agentId, chatId);
  }

  /** The chat waits for an agent again: no desk works on it. */
  public void released(String chatId) {
    Set<String> agents = agentsOfChat.remove(chatId);
    for (String agentId : agents == null ? Set.<String>of() : agents) {
      Desk d = desks.get(agentId);
      if (d != null) {
        d.chats.remove(chatId);
        d.consulting.remove(chatId);
      }
    }
  }

  /** The relay of an agent working on the chat; FORBIDDEN otherwise. */
  public Future<FailoverEspClient> working(String agentId, String chatId) {
    Desk d = desk(agentId);
    if (!d.chats.contains(chatId)) {
      return Future.failedFuture(
          new ChatException(ErrorCode.FORBIDDEN, "you are not working on chat " + chatId));
    }
    return d.relay();
  }

  /** The chat was restored at {@code esp}: its agent's relay re-attaches there at once. */
  public void relocate(String chatId, String esp) {
    for (String agentId : agentsOf(chatId)) {
      Desk d = desks.get(agentId);
      if (d != null) {
        d.relay().onSuccess(r -> r.relocate(chatId, esp));
      }
    }
    for (Desk d : desks.values()) {
      if (d.monitoring.contains(chatId)) {
        d.relay().onSuccess(r -> r.relocate(chatId, esp)); // a supervisor watching it
      }
    }
  }

  /** Invitations into chats and the supervisors' watching, on the same desks. */
  public Invitations invitations() {
    return invitations;
  }

  /** Closes every relay. */
  public Future<Void> shutdown() {
    List<Future<Void>> all = desks.values().stream().map(Desk::shutdown).toList();
    desks.clear();
    return Future.join(all).mapEmpty();
  }

  /** The agent's desk here, or null. */
  Desk find(String agentId) {
    return desks.get(agentId);
  }

  Desk desk(String agentId) {
    Desk d = desks.get(agentId);
    if (d == null) {
      throw new ChatException(ErrorCode.UNAUTHORIZED, "agent " + agentId + " is not logged in");
    }
    return d;
  }
}
