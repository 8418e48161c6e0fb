package dev.hachat.interaction.agents;

import static dev.hachat.interaction.agents.AgentFrames.*;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.interaction.config.InteractionOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Invitations into chats (conference, consult, a transfer to an agent in the chat) and the chats
 * supervisors watch, kept on the agents' {@link Desk}s of this server.
 *
 * <p>Threading: confined to the switchboard's context, like the desks.
 */
public final class Invitations {
  private final Desks desks;
  private final OwnContext context;
  private final InteractionOptions options;

  Invitations(Desks desks, OwnContext context, InteractionOptions options) {
    this.desks = desks;
    this.context = context;
    this.options = options;
  }

  /**
   * An instance says {@code from} invited {@code agentId} into {@code chatId}: if the agent's
   * desktop is connected here, it gets an {@code invite} event and has {@code
   * routing.offer-timeout} to {@link #takeInvite join}; otherwise nothing (the agent's own server
   * tells it).
   */
  public void invited(String agentId, String chatId, String mode, String from, String esp) {
    Desk d = desks.find(agentId);
    if (d != null && "transfer".equals(mode) && d.chats.contains(chatId)) {
      // handed to an agent already in it (a consultant takes over): its lines are seen from now
      d.consulting.remove(chatId);
      d.event(EVENT_TRANSFERRED, new JsonObject().put("chatId", chatId).put("from", from));
      return;
    }
    if (d == null || d.link == null || d.chats.contains(chatId) || "transfer".equals(mode)) {
      return;
    }
    long timeout = Math.max(1, options.getRouting().getOfferTimeout());
    Desk.Invite before = d.invites.remove(chatId);
    if (before != null) {
      context.cancelTimer(before.timer());
    }
    long timer =
        context.setTimer(
            timeout,
            t -> {
              Desk.Invite i = d.invites.get(chatId);
              if (i != null && i.timer() == t) {
                d.invites.remove(chatId);
                d.event(
                    EVENT_INVITE_REVOKED,
                    new JsonObject().put("chatId", chatId).put("reason", "timeout"));
              }
            });
    d.invites.put(chatId, new Desk.Invite(chatId, mode, from, esp, timer));
    d.event(
        EVENT_INVITE,
        new JsonObject()
            .put("chatId", chatId)
            .put("mode", mode)
            .put("from", from)
            .put("timeoutMs", timeout));
  }

  /** The invitation out to the agent for {@code chatId}, taken (NOT_FOUND if none). */
  public Desk.Invite takeInvite(String agentId, String chatId) {
    Desk d = desks.desk(agentId);
    Desk.Invite i = d.invites.remove(chatId);
    if (i == null) {
      throw new ChatException(
          ErrorCode.NOT_FOUND, "no invitation into chat " + chatId + " is out to you");
    }
    context.cancelTimer(i.timer());
    return i;
  }

  /**
   * The agent joined a chat it was invited to: it works on it (a consult: its lines are internal),
   * and the router counts it against its capacity.
   */
  public Future<Void> joinedInvited(String agentId, String chatId, String mode) {
    desks.joined(agentId, chatId);
    Desk d = desks.desk(agentId);
    if ("consult".equals(mode)) {
      d.consulting.add(chatId);
    }
    return desks.register(d).mapEmpty();
  }

  // ---- supervisors ---------------------------------------------------------------------------

  /** The supervisor watches the chat now (read-only). */
  public void monitoring(String agentId, String chatId, boolean on) {
    Desk d = desks.desk(agentId);
    if (on) {
      d.monitoring.add(chatId);
    } else {
      d.monitoring.remove(chatId);
    }
  }

  /** Whether the supervisor watches the chat. */
  public boolean monitors(String agentId, String chatId) {
    Desk d = desks.find(agentId);
    return d != null && d.monitoring.contains(chatId);
  }

  /** The relay of a supervisor that works on or watches the chat; FORBIDDEN otherwise. */
  public Future<FailoverEspClient> reading(String agentId, String chatId) {
    return monitors(agentId, chatId) ? desks.desk(agentId).relay() : desks.working(agentId, chatId);
  }

  /** Whether the agent's lines in {@code chatId} are internal (it joined to consult). */
  public boolean consulting(String agentId, String chatId) {
    Desk d = desks.find(agentId);
    return d != null && d.consulting.contains(chatId);
  }
}
