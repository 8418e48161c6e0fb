package dev.hachat.interaction;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.interaction.agents.AgentFrames;
import dev.hachat.interaction.agents.Desks;
import dev.hachat.interaction.config.RoutingOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.util.function.Supplier;

/**
 * What agents do together in a chat (docs/agent-api.md, "Transfer, conference and consult" and
 * "Supervisors"): transfer to a queue or an agent, invitations to a conference or a consult,
 * internal lines, and a supervisor's watching and barge-in. Every instance-side step goes through
 * the agent's relay; the desks are told on the switchboard's context.
 *
 * <p>Threading: every entry point hops onto the switchboard's context ({@link #on}) and returns a
 * Future completed there.
 */
final class Collaboration {
  private final OwnContext context;
  private final Desks desks;
  private final RoutingOptions routing;

  Collaboration(OwnContext context, Desks desks, RoutingOptions routing) {
    this.context = context;
    this.desks = desks;
    this.routing = routing;
  }

  private <T> Future<T> on(Supplier<Future<T>> task) {
    return context.call(task);
  }

  /** User-data key of the disposition code an agent closed the chat with (reporting: UCS). */
  static final String DISPOSITION_KEY = "hachat.disposition";

  private static final java.util.regex.Pattern DISPOSITION =
      java.util.regex.Pattern.compile("[\\p{L}\\p{N} ._:/-]{0,64}");

  /**
   * A close's {@code disposition}: absent is empty; else at most 64 letters, digits, spaces and
   * {@code . _ : / -} (it goes to the log and to the contact history), else BAD_REQUEST.
   */
  static String disposition(Object value) {
    if (value == null) {
      return "";
    }
    if (!(value instanceof String s) || !DISPOSITION.matcher(s).matches()) {
      throw ChatException.badRequest(
          "field 'disposition': at most 64 letters, digits, spaces and . _ : / -");
    }
    return s.strip();
  }

  /**
   * The agent ends the chat (reason AGENT_CLOSED); its disposition code, if any, is written to the
   * chat first (internal user data), so the final transcript in UCS has it.
   */
  Future<Void> close(String agentId, String chatId, String disposition) {
    return inChat(
        agentId,
        chatId,
        r ->
            (disposition.isEmpty()
                    ? Future.<Void>succeededFuture()
                    : r.updateData(chatId, java.util.Map.of(DISPOSITION_KEY, disposition))
                        .<Void>mapEmpty())
                .compose(v -> r.close(chatId)));
  }

  /** Runs {@code op} on the agent's relay for a chat it works on. */
  private <T> Future<T> inChat(
      String agentId, String chatId, java.util.function.Function<FailoverEspClient, Future<T>> op) {
    return on(() -> desks.working(agentId, chatId).compose(op));
  }

  // ---- transfer, conference, consult (docs/agent-api.md) -------------------------------------

  /**
   * Transfers a chat the agent works on to the queue {@code queue} or to the agent {@code toAgent}
   * (one of them is null): its user data says where (the queue key; {@link
   * AgentFrames#TRANSFER_TO_KEY}), saved at the instance before the agent leaves, so the chat waits
   * again where it was sent even if its instance or the router fails over meanwhile.
   */
  Future<Void> transfer(String agentId, String chatId, String queue, String toAgent) {
    java.util.Map<String, String> where = new java.util.LinkedHashMap<>();
    if (queue != null) {
      where.put(routing.getQueueKey(), queue);
    }
    where.put(AgentFrames.TRANSFER_TO_KEY, toAgent == null ? "" : toAgent);
    // An agent already in the chat (a consultant) takes it over; the others ignore the notice.
    Future<Void> told =
        toAgent == null
            ? Future.succeededFuture()
            : inChat(agentId, chatId, r -> r.invite(chatId, toAgent, "transfer")).otherwiseEmpty();
    return told.compose(v -> inChat(agentId, chatId, r -> r.updateData(chatId, where)))
        .compose(e -> leaving(agentId, chatId, "TRANSFERRED_OUT"));
  }

  /**
   * The agent leaves a chat it works on. The router hears of it first: the instance announces the
   * chat waiting the moment the agent is out, and the router must know by then that this agent left
   * it (offered to the others first), not that it came back from its agent (offered to it first).
   * If the instance refuses the leave, the agent works on the chat again.
   */
  Future<Void> leaving(String agentId, String chatId, String reason) {
    return on(
        () ->
            desks
                .working(agentId, chatId)
                .compose(
                    r -> {
                      // a consultant refused its leave goes on consulting (its lines internal)
                      String mode =
                          desks.invitations().consulting(agentId, chatId)
                              ? "consult"
                              : "conference";
                      desks.left(agentId, chatId);
                      return r.leave(chatId, reason)
                          .recover(
                              e ->
                                  on(
                                      () ->
                                          desks
                                              .invitations()
                                              .joinedInvited(agentId, chatId, mode)
                                              .transform(ar -> Future.<Void>failedFuture(e))));
                    }));
  }

  /**
   * Invites {@code toAgent} into a chat the agent works on ({@code conference} or {@code consult}).
   */
  Future<Void> invite(String agentId, String chatId, String toAgent, String mode) {
    if (toAgent.equals(agentId)) {
      throw ChatException.badRequest("an agent cannot invite itself");
    }
    return inChat(agentId, chatId, r -> r.invite(chatId, toAgent, mode));
  }

  /** The agent joins a chat it was invited to; the reply holds the transcript so far. */
  Future<JsonObject> joinInvited(String agentId, String chatId) {
    return on(
        () -> {
          dev.hachat.interaction.agents.Desk.Invite i =
              desks.invitations().takeInvite(agentId, chatId);
          return desks
              .relay(agentId)
              .compose(relay -> relay.join(chatId, i.mode(), i.esp()))
              .compose(
                  chat ->
                      on(
                          () ->
                              desks
                                  .invitations()
                                  .joinedInvited(agentId, chatId, i.mode())
                                  .map(
                                      v ->
                                          Switchboard.entries(chat)
                                              .put("mode", i.mode())
                                              .put("from", i.from()))));
        });
  }

  /** The agent declines an invitation. */
  Future<Void> decline(String agentId, String chatId) {
    return on(
        () -> {
          desks.invitations().takeInvite(agentId, chatId);
          return Future.succeededFuture();
        });
  }

  /**
   * A line in a chat the agent works on; {@code internal} (a consult line, or any line of an agent
   * that joined to consult): read by agents and supervisors only.
   */
  Future<dev.hachat.store.Entry> send(
      String agentId, String chatId, String clientMessageId, String text, boolean internal) {
    return on(
        () -> {
          boolean hidden = internal || desks.invitations().consulting(agentId, chatId);
          return desks
              .working(agentId, chatId)
              .compose(
                  r ->
                      hidden
                          ? r.send(chatId, clientMessageId, text, "Int")
                          : r.send(chatId, clientMessageId, text));
        });
  }

  // ---- supervisors (docs/agent-api.md, Supervisors) -------------------------------------------

  /**
   * A supervisor watches a chat, read-only: it joins as an observer at the chat's owner (unseen by
   * the customer) and gets its entries as events, from here on and through restores.
   */
  Future<JsonObject> monitor(String agentId, String chatId) {
    return on(
        () -> {
          if (desks.invitations().monitors(agentId, chatId)) {
            return Future.failedFuture(
                ChatException.badRequest("you are watching chat " + chatId + " already"));
          }
          return desks
              .relay(agentId)
              .compose(r -> r.observe(chatId, null))
              .compose(
                  chat ->
                      on(
                          () -> {
                            desks.invitations().monitoring(agentId, chatId, true);
                            return Future.succeededFuture(Switchboard.entries(chat));
                          }));
        });
  }

  /** The supervisor stops watching. */
  Future<Void> unmonitor(String agentId, String chatId) {
    return on(
        () -> {
          if (!desks.invitations().monitors(agentId, chatId)) {
            return Future.failedFuture(
                new ChatException(ErrorCode.FORBIDDEN, "you are not watching chat " + chatId));
          }
          desks.invitations().monitoring(agentId, chatId, false);
          return desks.relay(agentId).compose(r -> r.leave(chatId));
        });
  }

  /**
   * A supervisor steps into a chat as an agent (barge-in): it joins beside the agent there, seen by
   * everyone, and works on it like any agent (it stops watching first if it was).
   */
  Future<JsonObject> bargeIn(String agentId, String chatId) {
    return on(
        () -> {
          Future<Void> stopWatching =
              desks.invitations().monitors(agentId, chatId)
                  ? unmonitor(agentId, chatId).otherwiseEmpty()
                  : Future.succeededFuture();
          return stopWatching
              .compose(v -> desks.relay(agentId))
              .compose(r -> r.join(chatId, "conference", null))
              .compose(
                  chat ->
                      on(
                          () ->
                              desks
                                  .invitations()
                                  .joinedInvited(agentId, chatId, "conference")
                                  .map(v -> Switchboard.entries(chat))));
        });
  }
}
