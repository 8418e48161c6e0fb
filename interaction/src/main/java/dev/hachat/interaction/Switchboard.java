package dev.hachat.interaction;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.AcceptedChat;
import dev.hachat.esp.client.ChatInvited;
import dev.hachat.esp.client.ChatLocated;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.esp.client.WaitingChat;
import dev.hachat.interaction.agents.AgentFrames;
import dev.hachat.interaction.agents.AgentLink;
import dev.hachat.interaction.agents.Desks;
import dev.hachat.interaction.config.RoutingOptions;
import dev.hachat.interaction.instances.InstanceEvents;
import dev.hachat.interaction.routing.AcceptOutcome;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.ChatInfo;
import dev.hachat.interaction.routing.Offer;
import dev.hachat.interaction.routing.Router;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * Joins the instances, the router and the desks: what the instances announce goes to this server's
 * {@link Router} (which keeps the queues even while another server routes); the agents' calls go to
 * the router that leads now ({@link RoutingRole#access}); an accepted offer is accepted at the
 * chat's instance through the agent's relay.
 *
 * <p>Threading: the router and the desks are confined to one context; every entry point here hops
 * onto it ({@link #on}) and returns a Future completed there.
 */
final class Switchboard implements InstanceEvents {
  private final OwnContext context;
  private final Router router;
  private final Desks desks;
  private final Supplier<RoutingRole> role;
  private final RoutingOptions routing;
  private final Supplier<JsonArray> stateTable;
  private final String serverId;
  private final Collaboration team;

  /**
   * @param stateTable the instances and web API servers as this server sees them ({@link
   *     dev.hachat.interaction.instances.InstanceLinks#stateTable})
   */
  Switchboard(
      OwnContext context,
      Router router,
      Desks desks,
      Supplier<RoutingRole> role,
      RoutingOptions routing,
      Supplier<JsonArray> stateTable,
      String serverId) {
    this.context = context;
    this.router = router;
    this.desks = desks;
    this.role = role;
    this.routing = routing;
    this.stateTable = stateTable;
    this.serverId = serverId;
    this.team = new Collaboration(context, desks, routing);
  }

  /** Runs {@code task} on the switchboard's context. */
  <T> Future<T> on(Supplier<Future<T>> task) {
    return context.call(task);
  }

  // ---- from the instances -------------------------------------------------------------------

  @Override
  public void waiting(WaitingChat w, String instanceId, String esp) {
    String queue = w.userData().getOrDefault(routing.getQueueKey(), routing.getDefaultQueue());
    ChatInfo info =
        new ChatInfo(
            w.chatId(),
            queue.isBlank() ? routing.getDefaultQueue() : queue,
            w.customer(),
            w.subject(),
            w.userData(),
            w.createdAt(),
            instanceId,
            esp);
    on(
        () -> {
          desks.released(w.chatId()); // waiting again: no desk works on it any more
          router.waiting(info, priority(w));
          return Future.succeededFuture();
        });
  }

  @Override
  public void waitingEnded(String chatId, String reason) {
    if ("moved".equals(reason)) {
      return; // it waits on at its next owner, which announces it
    }
    on(
        () -> {
          router.gone(chatId, "accepted".equals(reason));
          return Future.succeededFuture();
        });
  }

  @Override
  public void located(ChatLocated l, String esp) {
    on(
        () -> {
          desks.relocate(l.chatId(), esp);
          return Future.succeededFuture();
        });
  }

  @Override
  public void invited(ChatInvited i, String esp) {
    on(
        () -> {
          desks.invitations().invited(i.agentId(), i.chatId(), i.mode(), i.from(), esp);
          return Future.succeededFuture();
        });
  }

  private int priority(WaitingChat w) {
    if (routing.getPriorityKey().isEmpty()) {
      return 0;
    }
    try {
      return Integer.parseInt(w.userData().getOrDefault(routing.getPriorityKey(), "0").trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  // ---- from the agents ----------------------------------------------------------------------

  /**
   * A desktop logged in as {@code agentId}: its state, capacity and chats. {@code claimed}: chats
   * the desktop says it works on (it logged in here after its server was lost); each is accepted
   * again as this agent at its instance, which gives the agent its own seat back.
   */
  Future<JsonObject> login(
      String agentId,
      String nickname,
      AgentLink link,
      java.util.List<String> claimed,
      boolean supervisor) {
    return on(
        () -> {
          Future<JsonObject> view = desks.connect(agentId, nickname, link, supervisor);
          if (claimed.isEmpty()) {
            return view;
          }
          java.util.List<Future<Void>> back =
              claimed.stream()
                  .map(
                      chatId ->
                          desks
                              .reattach(agentId, chatId)
                              .onFailure(
                                  e ->
                                      link.event(
                                          AgentFrames.EVENT_CHAT_CLOSED,
                                          new JsonObject()
                                              .put("chatId", chatId)
                                              .put("reason", "NOT_YOURS"))))
                  .toList();
          return view.compose(
              v -> Future.join(back).transform(ar -> on(() -> desks.loggedIn(agentId, link))));
        });
  }

  Future<JsonObject> setState(String agentId, AgentState state, String reason) {
    return on(() -> desks.setState(agentId, state, reason));
  }

  Future<JsonObject> reject(String agentId, String offerId) {
    return on(
        () -> {
          Offer out = desks.answering(agentId, offerId);
          return context
              .back(role.get().access().reject(agentId, offerId))
              .onFailure(e -> on(() -> retryable(e, out)))
              .map(new JsonObject());
        });
  }

  /**
   * Accepts an offer: the router is told, then the chat is accepted at its instance through the
   * agent's relay (the instance's exclusive accept decides). The reply holds the transcript so far;
   * entries after it come as events.
   */
  Future<JsonObject> accept(String agentId, String offerId) {
    return on(
        () -> {
          Offer out = desks.answering(agentId, offerId);
          return context
              .back(role.get().access().accepting(agentId, offerId))
              .onFailure(e -> on(() -> retryable(e, out)))
              .compose(
                  o -> {
                    String chatId = o.chat().chatId();
                    return desks
                        .relay(agentId)
                        .compose(relay -> relay.accept(chatId, o.chat().esp()))
                        .transform(
                            ar ->
                                on(
                                    () -> {
                                      // the router that leads now: a link replaced
                                      // meanwhile would lose it
                                      role.get().access().acceptDone(offerId, outcome(ar.cause()));
                                      if (ar.failed()) {
                                        return Future.failedFuture(ar.cause());
                                      }
                                      desks.joined(agentId, chatId);
                                      routed(agentId, o);
                                      return Future.succeededFuture(accepted(o, ar.result()));
                                    }));
                  });
        });
  }

  /**
   * After an accept: the chat's routing counts, and the end of a transfer's directive, go to its
   * instance in one internal user-data update (kept from the customer), so the final transcript has
   * them. Best effort: a failure costs only the statistics.
   */
  private void routed(String agentId, Offer o) {
    java.util.Map<String, String> data = o.chat().userData();
    java.util.Map<String, String> change = new java.util.LinkedHashMap<>();
    for (String key : java.util.List.of(Router.OFFERS_KEY, Router.REJECTS_KEY)) {
      if (data.containsKey(key)) {
        change.put(key, data.get(key));
      }
    }
    if (!data.getOrDefault(Router.TRANSFER_TO_KEY, "").isEmpty()) {
      change.put(Router.TRANSFER_TO_KEY, ""); // done: a later return is a plain one
    }
    if (!change.isEmpty()) {
      String chatId = o.chat().chatId();
      desks.relay(agentId).compose(r -> r.updateData(chatId, change));
    }
  }

  /** A router call that may succeed when retried leaves the offer out to the desktop. */
  private Future<Void> retryable(Throwable e, Offer out) {
    if (e instanceof ChatException c && c.code() == ErrorCode.INSTANCE_UNAVAILABLE) {
      desks.unanswered(out);
    }
    return Future.succeededFuture();
  }

  private static AcceptOutcome outcome(Throwable failure) {
    if (failure == null) {
      return AcceptOutcome.JOINED;
    }
    if (failure instanceof ChatException ce
        && (ce.code() == ErrorCode.ALREADY_TAKEN
            || ce.code() == ErrorCode.CHAT_ENDED
            || ce.code() == ErrorCode.CHAT_NOT_FOUND)) {
      return AcceptOutcome.GONE;
    }
    return AcceptOutcome.FAILED;
  }

  private static JsonObject accepted(Offer o, AcceptedChat chat) {
    return entries(chat).put("queue", o.chat().queue());
  }

  /** A join's reply: the chat, its transcript so far and the position to go on from. */
  static JsonObject entries(AcceptedChat chat) {
    JsonArray entries = new JsonArray();
    chat.entries().forEach(e -> entries.add(EntryJson.toJson(e)));
    return new JsonObject()
        .put("chatId", chat.chatId())
        .put("entries", entries)
        .put("nextPosition", chat.nextPosition());
  }

  /** Runs {@code op} on the relay of an agent that works on or (a supervisor) watches the chat. */
  <T> Future<T> reading(
      String agentId, String chatId, java.util.function.Function<FailoverEspClient, Future<T>> op) {
    return on(() -> desks.invitations().reading(agentId, chatId).compose(op));
  }

  /** Runs {@code op} on the agent's relay for a chat it works on. */
  <T> Future<T> inChat(
      String agentId, String chatId, java.util.function.Function<FailoverEspClient, Future<T>> op) {
    return on(() -> desks.working(agentId, chatId).compose(op));
  }

  /**
   * A room operation of the agent (docs/rooms.md, {@code room*}): sent through the agent's relay,
   * logged in as the agent, to the room's host, and followed there; the relay's room events reach
   * the desktop as they are.
   */
  public Future<JsonObject> room(String agentId, String op, JsonObject frame) {
    JsonObject params = frame.copy();
    params.remove("type");
    params.remove("id");
    params.remove("op");
    String roomId = frame.getValue("roomId") instanceof String s ? s : null;
    return desks.relay(agentId).compose(r -> r.rooms().request(roomId, op, params));
  }

  /** Transfer, conference, consult and the supervisors' ops. */
  Collaboration team() {
    return team;
  }

  /** The agent leaves a chat: it goes back to the queue (to this agent last). */
  Future<Void> leave(String agentId, String chatId) {
    return team.leaving(agentId, chatId, "AGENT_LEFT");
  }

  /** The desktop's connection dropped: its chats are kept for {@code disconnect-grace}. */
  void dropped(String agentId, AgentLink link) {
    on(
        () -> {
          desks.dropped(agentId, link);
          return Future.succeededFuture();
        });
  }

  /** Queues and agents now. */
  Future<JsonObject> status() {
    return on(
        () -> {
          JsonArray queues = new JsonArray();
          router
              .queues()
              .forEach(
                  q ->
                      queues.add(
                          new JsonObject()
                              .put("queue", q.queue())
                              .put("waiting", q.waiting())
                              .put("longestWaitMs", q.longestWaitMs())
                              .put("chatIds", new JsonArray(q.chatIds()))));
          JsonArray agents = new JsonArray();
          boolean leading = router.leading();
          (leading ? router.agents() : desks.views())
              .forEach(a -> agents.add(AgentFrames.agent(a)));
          return Future.succeededFuture(
              new JsonObject()
                  .put("queues", queues)
                  .put("agents", agents)
                  .put("id", serverId)
                  .put("routing", leading)
                  .put("epoch", router.epoch())
                  .put("instances", stateTable.get()));
        });
  }
}
