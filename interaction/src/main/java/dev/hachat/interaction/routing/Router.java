package dev.hachat.interaction.routing;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Queues and push routing (docs/interaction.md): a queue per chat service, highest priority then
 * oldest first; a waiting chat is offered to exactly one agent at a time, Ready with free capacity
 * and the skill (its last agent first when it comes back, unless that agent left it or passed it;
 * otherwise the least busy, then the one longest since its last chat). A rejected or timed-out
 * offer moves on to the next agent; an agent that lets {@code maxMissedOffers} offers in a row time
 * out is set NotReady ({@code missed-offers}).
 *
 * <p><b>One decider.</b> Of several interaction servers only the one holding the routing lease
 * offers ({@link #lead}); the others {@link #follow} and keep only the queues, from their own links
 * to the instances, so that a take-over starts with them. Every offer carries the epoch of the
 * lease it was made under. A new router decides at epoch 0 until told otherwise (a single server,
 * tests).
 *
 * <p>Threading: not thread-safe. Every method runs on one context (the switchboard's own), the
 * {@link Scheduler}'s timers too.
 */
public final class Router {
  /** Reason code of the NotReady an agent is put in after too many missed offers. */
  public static final String MISSED_OFFERS = "missed-offers";

  /**
   * How long an accepted offer waits for its {@link #acceptDone} before it counts as failed: well
   * beyond the accept's own request timeouts at the instance.
   */
  public static final long ACCEPT_DEADLINE_MS = 60_000;

  /**
   * User-data key naming the agent a chat was transferred to: when it waits again it is offered to
   * that agent first (like its last agent), unless that agent left it itself.
   */
  public static final String TRANSFER_TO_KEY = "hachat.transferTo";

  /**
   * User-data keys of a chat's routing counts, over all the times it waited: offers made and offers
   * rejected. An offer's chat carries them up to and with this offer; the home that accepts it
   * writes them to the chat at its instance, so they reach the final transcript.
   */
  public static final String OFFERS_KEY = "hachat.offers";

  public static final String REJECTS_KEY = "hachat.rejects";

  private static final int LAST_AGENTS_MAX = 100_000;

  private final RouterSettings settings;
  private final Scheduler scheduler;
  private final RouterEvents events;
  private final Queues chats = new Queues();
  private final Map<String, AgentEntry> agents = new TreeMap<>();
  private final Map<String, Offer> offers = new HashMap<>();
  private final LastAgents lastAgents = new LastAgents(LAST_AGENTS_MAX);
  private final AgentStates states;
  private final LastAgents leftBy = new LastAgents(LAST_AGENTS_MAX);
  private boolean leading = true;
  private long epoch;
  private BooleanSupplier valid = () -> true;

  public Router(RouterSettings settings, Scheduler scheduler, RouterEvents events) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.events = events;
    this.states =
        new AgentStates(
            settings,
            scheduler,
            events,
            a -> {
              if (agents.get(a.agentId) == a) {
                dispatch();
              }
            });
  }

  // ---- chats --------------------------------------------------------------------------------

  /**
   * An instance announced {@code info} as waiting (new, back from its agent, restored elsewhere, or
   * a new summary). A chat already queued keeps its place; its summary and location change.
   */
  public void waiting(ChatInfo info, int priority) {
    QueuedChat known = chats.get(info.chatId());
    if (known != null) {
      known.update(info);
      return;
    }
    for (AgentEntry a : agents.values()) {
      if (a.chats.remove(info.chatId())) {
        lastAgents.put(info.chatId(), a.agentId); // its agent left it: back to the queue
      }
    }
    QueuedChat c = new QueuedChat(info, priority, scheduler.now());
    c.lastAgent = lastAgents.get(info.chatId());
    String leaver = leftBy.remove(info.chatId());
    if (leaver != null) {
      c.passedBy.add(leaver); // it left the chat: the others first
    }
    String target = info.userData().getOrDefault(TRANSFER_TO_KEY, "");
    if (!target.isEmpty() && !target.equals(leaver)) {
      c.lastAgent = target; // transferred to this agent: it first
    }
    chats.add(c);
    events.queued(c.queue);
    dispatch();
  }

  /**
   * The chat waits no more: {@code accepted} (by an agent this router did not send, e.g. over ESP
   * directly) or it ended (the customer left: abandoned). A chat whose accept through this router
   * is under way is left to {@link #acceptDone}.
   */
  public void gone(String chatId, boolean accepted) {
    QueuedChat c = chats.get(chatId);
    if (c == null) {
      return;
    }
    if (c.offer != null && c.offer.accepting) {
      c.goneWhileAccepting = true; // a failed accept then drops it instead of offering it again
      return;
    }
    drop(c);
    if (c.offer != null) {
      Offer o = c.offer;
      AgentEntry a = agents.get(o.agentId());
      clearOffer(o, a);
      events.revoked(o, "gone");
    }
    if (!accepted) {
      events.abandoned(c.queue, scheduler.now() - c.queuedAt);
    }
    dispatch();
  }

  // ---- agents -------------------------------------------------------------------------------

  /**
   * The agent is connected (login or reconnect), with its capacity and skills (empty: every queue);
   * {@code chats} it still works on count against its capacity. A new agent starts NotReady ({@code
   * login}).
   */
  public void online(String agentId, int capacity, Set<String> skills, Set<String> chats) {
    online(agentId, "", capacity, skills, chats, null, "");
  }

  /**
   * The agent is connected at the interaction server {@code home} (its events go there) and
   * registered by it: at its login, or again after a take-over with the state its home last knew
   * ({@code state} null: keep the router's, NotReady {@code login} for a new agent). Its chats are
   * the home's list: the home serves them.
   */
  public void online(
      String agentId,
      String home,
      int capacity,
      Set<String> skills,
      Set<String> chats,
      AgentState state,
      String reason) {
    long now = scheduler.now();
    AgentEntry a = agents.computeIfAbsent(agentId, id -> new AgentEntry(id, capacity, skills, now));
    a.home = home;
    a.capacity = capacity;
    a.skills = Set.copyOf(skills);
    a.online = true;
    a.chats.clear(); // the home's list is the truth: a chatEnded it sent may have been lost
    a.chats.addAll(chats);
    if (state != null && (state != a.state || !reason.equals(a.reason))) {
      states.set(a, state, reason);
    }
    dispatch();
  }

  /** The interaction server serving {@code agentId}'s desktop; empty: this one or unknown. */
  public String homeOf(String agentId) {
    AgentEntry a = agents.get(agentId);
    return a == null ? "" : a.home;
  }

  /** Every agent served by {@code home} went offline (that server's link to this one closed). */
  public void homeGone(String home) {
    agents.values().stream()
        .filter(a -> a.home.equals(home) && a.online)
        .map(a -> a.agentId)
        .toList()
        .forEach(this::offline);
  }

  /** The agents of {@code home} still offline are forgotten (their grace ended). */
  public void forgetHome(String home) {
    agents.values().stream()
        .filter(a -> a.home.equals(home) && !a.online)
        .map(a -> a.agentId)
        .toList()
        .forEach(this::forget);
  }

  // ---- leadership ---------------------------------------------------------------------------

  /**
   * This router decides from now on, under {@code epoch}, while {@code valid} says its lease is
   * still valid (checked before every offer).
   */
  public void lead(long epoch, BooleanSupplier valid) {
    this.leading = true;
    this.epoch = epoch;
    this.valid = valid;
    dispatch();
  }

  /**
   * This router decides no more (another holds the lease, or it lost it): every offer out is
   * withdrawn ({@code rerouted}) and every agent forgotten; the queues stay.
   */
  public void follow() {
    leading = false;
    for (Offer o : List.copyOf(offers.values())) {
      clearOffer(o, agents.get(o.agentId()));
      events.revoked(o, "rerouted");
    }
    for (AgentEntry a : agents.values()) {
      states.cancelAcw(a);
    }
    agents.clear();
  }

  /**
   * Offers what can be offered now: after the lease was not valid for a while (the store was slow)
   * no event may come to start the routing again, so the server calls this every heartbeat.
   */
  public void nudge() {
    dispatch();
  }

  /** True while this router makes the offers. */
  public boolean leading() {
    return leading && valid.getAsBoolean();
  }

  /** The epoch offers are made under. */
  public long epoch() {
    return epoch;
  }

  /** The agent's connection dropped: no offers; its offer out goes to the next agent. */
  public void offline(String agentId) {
    AgentEntry a = agents.get(agentId);
    if (a == null) {
      return;
    }
    a.online = false;
    if (a.offer != null && !a.offer.accepting) {
      Offer o = a.offer;
      clearOffer(o, a);
      events.revoked(o, "offline");
    }
    dispatch();
  }

  /** The agent is gone for good (its grace period ended; its chats were handed back). */
  public void forget(String agentId) {
    AgentEntry a = agents.get(agentId);
    if (a == null || a.online) {
      return;
    }
    states.gone(a);
    agents.remove(agentId);
  }

  /** The agent sets its state; {@code reason} is kept for NotReady. */
  public void setState(String agentId, AgentState state, String reason) {
    AgentEntry a = agent(agentId);
    states.set(a, state, reason);
    if (state == AgentState.READY) {
      a.missed = 0;
    }
    dispatch();
  }

  /**
   * The agent answers an offer. Accept: the offer stops timing out and is returned, for the caller
   * to accept the chat at its instance and then call {@link #acceptDone}. Reject: the chat goes to
   * the next agent ({@code null} is returned).
   *
   * @throws ChatException NOT_FOUND for an offer that is not this agent's or no longer out
   */
  public Offer answer(String agentId, String offerId, boolean accept) {
    Offer o = offers.get(offerId);
    if (o == null || !o.agentId().equals(agentId) || o.accepting) {
      throw new ChatException(
          ErrorCode.NOT_FOUND, "offer " + offerId + " is not out to you (expired or withdrawn)");
    }
    AgentEntry a = agent(agentId);
    if (accept) {
      if (!leading() || o.epoch() != epoch) {
        // S1: no decision while the lease is not valid; the offer stays out, the desktop retries
        throw new ChatException(
            ErrorCode.INSTANCE_UNAVAILABLE, "the routing is changing hands; retry in a second");
      }
      o.accepting = true;
      scheduler.cancel(o.timer);
      // An acceptDone that never comes (its home's link dropped) must not hold the agent's seat
      // and the chat for ever: after the deadline the accept counts as failed.
      o.timer =
          scheduler.after(
              ACCEPT_DEADLINE_MS,
              () -> {
                if (offers.get(o.offerId()) == o && o.accepting) {
                  acceptDone(o, AcceptOutcome.FAILED);
                }
              });
      return o;
    }
    QueuedChat c = chats.get(o.chat().chatId());
    clearOffer(o, a);
    a.missed = 0; // an answer: "missed in a row" counts only offers left to time out
    if (c != null) {
      c.passedBy.add(agentId);
      c.rejects++;
      events.rejected(c.queue);
    }
    dispatch();
    return null;
  }

  /** The accept of the answered offer {@code offerId} ended; nothing if it is not known. */
  public void acceptDone(String offerId, AcceptOutcome outcome) {
    Offer o = offers.get(offerId);
    if (o != null && o.accepting) {
      acceptDone(o, outcome);
    }
  }

  /** The accept of an answered offer ended. */
  public void acceptDone(Offer o, AcceptOutcome outcome) {
    AgentEntry a = agents.get(o.agentId());
    QueuedChat c = chats.get(o.chat().chatId());
    clearOffer(o, a);
    if (outcome == AcceptOutcome.JOINED) {
      if (a != null) {
        a.chats.add(o.chat().chatId());
        a.missed = 0;
        a.idleSince = scheduler.now();
      }
      lastAgents.put(o.chat().chatId(), o.agentId());
      if (c != null) {
        drop(c);
        events.accepted(c.queue, scheduler.now() - c.queuedAt);
      }
    } else if (c != null && (outcome == AcceptOutcome.GONE || c.goneWhileAccepting)) {
      drop(c);
    }
    dispatch();
  }

  /**
   * A chat of the agent ended; {@code byAgent}: the agent closed it, so it goes to after-call work
   * when that is configured.
   */
  public void chatEnded(String agentId, String chatId, boolean byAgent) {
    AgentEntry a = agents.get(agentId);
    if (a == null || !a.chats.remove(chatId)) {
      return;
    }
    if (byAgent) {
      states.closedAChat(a);
    }
    dispatch();
  }

  /**
   * The agent's chats were handed back for it (its grace period ended): the chat returns to the
   * queue when its instance announces it again, offered to this agent first.
   */
  public void released(String agentId, String chatId) {
    AgentEntry a = agents.get(agentId);
    if (a != null && a.chats.remove(chatId)) {
      lastAgents.put(chatId, agentId);
      dispatch();
    }
  }

  /**
   * The agent left the chat itself: it returns to the queue when its instance announces it again,
   * offered to the other agents first and to this one only when none of them takes it.
   */
  public void left(String agentId, String chatId) {
    AgentEntry a = agents.get(agentId);
    if (a != null && a.chats.remove(chatId)) {
      leftBy.put(chatId, agentId);
      dispatch();
    }
  }

  // ---- views --------------------------------------------------------------------------------

  public List<QueueView> queues() {
    return chats.views(scheduler.now());
  }

  /** Where each chat waiting without an offer stands in its queue. */
  public List<QueuePlace> places() {
    return chats.places();
  }

  public List<AgentView> agents() {
    long now = scheduler.now();
    return agents.values().stream().map(a -> a.view(now)).toList();
  }

  /** The agent's state and reason. */
  public AgentView agentView(String agentId) {
    return agent(agentId).view(scheduler.now());
  }

  // ---- the routing --------------------------------------------------------------------------

  private void dispatch() {
    if (!leading()) {
      return;
    }
    List<AgentEntry> free = agents.values().stream().filter(AgentEntry::canTakeOffer).toList();
    if (free.isEmpty()) {
      return;
    }
    for (TreeSet<QueuedChat> q : chats.all()) {
      if (q.isEmpty() || free.stream().noneMatch(a -> a.serves(q.first().queue))) {
        continue;
      }
      for (QueuedChat c : q) {
        if (c.offer != null) {
          continue;
        }
        AgentEntry a = Pick.agentFor(c, agents);
        if (a != null) {
          offer(c, a);
          free = free.stream().filter(AgentEntry::canTakeOffer).toList();
          if (free.isEmpty()) {
            return;
          }
        }
      }
    }
  }

  private void offer(QueuedChat c, AgentEntry a) {
    c.offers++;
    Offer o =
        new Offer(
            UUID.randomUUID().toString(),
            a.agentId,
            c.asOffered(),
            settings.offerTimeoutMs(),
            epoch);
    o.timer = scheduler.after(settings.offerTimeoutMs(), () -> timedOut(o));
    c.offer = o;
    a.offer = o;
    offers.put(o.offerId(), o);
    events.offered(c.queue);
    events.offer(o);
  }

  private void timedOut(Offer o) {
    if (offers.get(o.offerId()) != o || o.accepting) {
      return;
    }
    AgentEntry a = agents.get(o.agentId());
    QueuedChat c = chats.get(o.chat().chatId());
    clearOffer(o, a);
    events.revoked(o, "timeout");
    if (c != null) {
      c.passedBy.add(o.agentId());
      events.timedOut(c.queue);
    }
    if (a != null) {
      states.missedAnOffer(a);
    }
    dispatch();
  }

  private void clearOffer(Offer o, AgentEntry a) {
    scheduler.cancel(o.timer);
    offers.remove(o.offerId());
    QueuedChat c = chats.get(o.chat().chatId());
    if (c != null && c.offer == o) {
      c.offer = null;
    }
    if (a != null && a.offer == o) {
      a.offer = null;
    }
  }

  private void drop(QueuedChat c) {
    chats.drop(c);
  }

  private AgentEntry agent(String agentId) {
    AgentEntry a = agents.get(agentId);
    if (a == null) {
      throw new ChatException(ErrorCode.UNAUTHORIZED, "agent " + agentId + " is not logged in");
    }
    return a;
  }
}
