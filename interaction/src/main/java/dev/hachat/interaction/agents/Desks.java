package dev.hachat.interaction.agents;

import static dev.hachat.interaction.agents.AgentFrames.*;

import dev.hachat.common.confined.OwnContext;
import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.interaction.config.AgentProfile;
import dev.hachat.interaction.config.InteractionOptions;
import dev.hachat.interaction.routing.Router;
import dev.hachat.store.EntryJson;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents at this interaction server, each with its {@link Desk}. A desktop that drops keeps its
 * chats for {@code routing.disconnect-grace}; a login within it takes them back, after it they are
 * left (they wait for an agent again, this one first).
 *
 * <p>Threading: confined to the switchboard's context; the relays' callbacks hop onto it.
 */
public final class Desks {
  private static final Logger LOG = LoggerFactory.getLogger(Desks.class);

  private final Vertx vertx;
  private final OwnContext context;
  private final Router router;
  private final InteractionOptions options;
  private final Supplier<List<String>> endpoints;
  private final Function<String, String> tokenFor;
  private final Map<String, Desk> desks = new HashMap<>();
  private final Map<String, String> agentOfChat = new HashMap<>();

  /**
   * @param endpoints the ESP addresses of the instances reachable now
   * @param tokenFor a login token for an agent's relay; {@code null} result: open mode
   */
  public Desks(
      Vertx vertx,
      OwnContext context,
      Router router,
      InteractionOptions options,
      Supplier<List<String>> endpoints,
      Function<String, String> tokenFor) {
    this.vertx = vertx;
    this.context = context;
    this.router = router;
    this.options = options;
    this.endpoints = endpoints;
    this.tokenFor = tokenFor;
  }

  /** A desktop logged in: it replaces an earlier connection of the agent; its kept chats. */
  public JsonArray connect(String agentId, String nickname, AgentLink link) {
    Desk d = desks.computeIfAbsent(agentId, id -> new Desk(id, nickname));
    AgentLink before = d.link;
    d.link = link;
    if (before != null && before != link) {
      before.close(CLOSE_REPLACED, "another login of this agent took its place");
    }
    if (d.graceTimer >= 0) {
      context.cancelTimer(d.graceTimer);
      d.graceTimer = -1;
    }
    AgentProfile p = options.getAgents().get(agentId);
    int capacity =
        p != null && p.getCapacity() > 0
            ? p.getCapacity()
            : options.getRouting().getDefaultCapacity();
    List<String> skills =
        p != null && !p.getSkills().isEmpty()
            ? p.getSkills()
            : options.getRouting().getDefaultSkills();
    router.online(agentId, capacity, Set.copyOf(skills), Set.copyOf(d.chats));
    JsonArray kept = new JsonArray();
    d.chats.forEach(kept::add);
    return kept;
  }

  /** A desktop's connection dropped (nothing if a newer one replaced it). */
  public void dropped(String agentId, AgentLink link) {
    Desk d = desks.get(agentId);
    if (d == null || d.link != link) {
      return;
    }
    d.link = null;
    router.offline(agentId);
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
    List<Future<Void>> leaving =
        d.chats.stream()
            .map(
                chatId -> {
                  agentOfChat.remove(chatId, d.agentId);
                  router.released(d.agentId, chatId);
                  return d.relay().compose(r -> r.leave(chatId)).otherwiseEmpty();
                })
            .toList();
    router.forget(d.agentId);
    Future.join(leaving).onComplete(ar -> d.shutdown());
  }

  /** The agent's relay, connected on first use. */
  public Future<FailoverEspClient> relay(String agentId) {
    Desk d = desk(agentId);
    return d.relay(vertx, endpoints, () -> tokenFor.apply(agentId), r -> wire(d, r));
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
  }

  private void closed(Desk d, String chatId, String reason) {
    if (!d.chats.remove(chatId)) {
      return;
    }
    agentOfChat.remove(chatId, d.agentId);
    router.chatEnded(d.agentId, chatId, "AGENT_CLOSED".equals(reason));
    d.event(EVENT_CHAT_CLOSED, new JsonObject().put("chatId", chatId).put("reason", reason));
  }

  /** The agent now works on the chat (its accept succeeded). */
  public void joined(String agentId, String chatId) {
    desk(agentId).chats.add(chatId);
    agentOfChat.put(chatId, agentId);
  }

  /** The agent left the chat. */
  public void left(String agentId, String chatId) {
    Desk d = desks.get(agentId);
    if (d != null) {
      d.chats.remove(chatId);
    }
    agentOfChat.remove(chatId, agentId);
  }

  /** The chat waits for an agent again: no desk works on it. */
  public void released(String chatId) {
    String agentId = agentOfChat.remove(chatId);
    Desk d = agentId == null ? null : desks.get(agentId);
    if (d != null) {
      d.chats.remove(chatId);
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
    String agentId = agentOfChat.get(chatId);
    Desk d = agentId == null ? null : desks.get(agentId);
    if (d != null) {
      d.relay().onSuccess(r -> r.relocate(chatId, esp));
    }
  }

  /** An event to the agent's desktop, if connected. */
  public void event(String agentId, String event, JsonObject body) {
    Desk d = desks.get(agentId);
    if (d != null) {
      d.event(event, body);
    }
  }

  /** Closes every relay. */
  public Future<Void> shutdown() {
    List<Future<Void>> all = desks.values().stream().map(Desk::shutdown).toList();
    desks.clear();
    return Future.join(all).mapEmpty();
  }

  private Desk desk(String agentId) {
    Desk d = desks.get(agentId);
    if (d == null) {
      throw new ChatException(ErrorCode.UNAUTHORIZED, "agent " + agentId + " is not logged in");
    }
    return d;
  }
}
