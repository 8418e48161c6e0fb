package dev.hachat.interaction.agents;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.FailoverEspClient;
import dev.hachat.esp.client.FailoverEspClientOptions;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.Offer;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One agent at this interaction server: its desktop's connection, the chats it works on, and its
 * relay to the instances (a {@link FailoverEspClient} logged in as the agent, which follows each
 * chat to whichever instance owns it). The chats set and the grace timer are confined to the
 * switchboard's context; {@link #link} is read by the relay's threads to forward entries.
 */
public final class Desk {
  final String agentId;
  final String nickname;
  volatile AgentLink link;

  /** Its login has the supervisor role: its relay logs in with it too. */
  volatile boolean supervisor;

  final Set<String> chats = new LinkedHashSet<>();

  /** Its state as this home knows it: kept here, registered with every new router. */
  AgentState state = AgentState.NOT_READY;

  String reason = "login";

  /** Offers out to it now, by id (each carries the routing epoch it was made under). */
  final Map<String, Offer> offers = new HashMap<>();

  /** Invitations into chats waiting for its answer, by chat id. */
  final Map<String, Invite> invites = new HashMap<>();

  /** Chats it watches as a supervisor (read-only; they do not count against its capacity). */
  final Set<String> monitoring = new HashSet<>();

  /** Chats it joined to consult: its lines there are internal (agents only). */
  final Set<String> consulting = new HashSet<>();

  /** An invitation: its mode, who sent it, and where the chat lives; it lapses by its timer. */
  public record Invite(String chatId, String mode, String from, String esp, long timer) {}

  long graceTimer = -1;
  private Future<FailoverEspClient> relay;

  Desk(String agentId, String nickname) {
    this.agentId = agentId;
    this.nickname = nickname;
  }

  /** Sends an event to the desktop, if one is connected. */
  void event(String event, io.vertx.core.json.JsonObject body) {
    AgentLink l = link;
    if (l != null) {
      l.event(event, body);
    }
  }

  /**
   * The relay, connected on first use to one of {@code endpoints} with a login token from {@code
   * token} (null: an open-mode login); {@code wire} installs its handlers.
   */
  Future<FailoverEspClient> relay(
      Vertx vertx,
      Supplier<List<String>> endpoints,
      Supplier<String> token,
      java.util.function.Consumer<FailoverEspClient> wire) {
    if (relay != null && !relay.failed()) {
      return relay;
    }
    List<String> now = endpoints.get();
    if (now.isEmpty()) {
      return Future.failedFuture(
          new ChatException(
              ErrorCode.INSTANCE_UNAVAILABLE, "no chat-server instance is reachable"));
    }
    FailoverEspClientOptions o =
        new FailoverEspClientOptions()
            .setEndpoints(now)
            .setAgentId(agentId)
            .setNickname(nickname)
            .setTokenSupplier(token);
    relay = FailoverEspClient.connect(vertx, o).onSuccess(wire::accept);
    return relay;
  }

  /** The relay if it is up; a failed Future if it never connected. */
  Future<FailoverEspClient> relay() {
    return relay != null
        ? relay
        : Future.failedFuture(new ChatException(ErrorCode.FORBIDDEN, "no chat taken yet"));
  }

  /** Closes the relay (the desk is gone). */
  Future<Void> shutdown() {
    return relay == null
        ? Future.succeededFuture()
        : relay.compose(FailoverEspClient::disconnect).otherwiseEmpty();
  }
}
