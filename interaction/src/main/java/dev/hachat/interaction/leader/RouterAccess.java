package dev.hachat.interaction.leader;

import dev.hachat.interaction.routing.AcceptOutcome;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.Offer;
import io.vertx.core.Future;
import java.util.Set;

/**
 * What an agent's home interaction server asks of the router, wherever the router runs: in this
 * process while it holds the routing lease ({@link LocalAccess}), over a peer link to the holder
 * otherwise ({@link RemoteAccess}). The home keeps each agent's state and chats and registers them
 * again with every new router, so calls that change nothing but the router's view are fire and
 * forget: a lost one is mended by the next registration.
 *
 * <p>Threading: called on the switchboard's context; futures complete there or on a peer link's
 * event loop (callers hop back).
 */
public interface RouterAccess {
  /** An agent as its home registers it: at login, and again with every new router. */
  record Registration(
      String agentId,
      int capacity,
      Set<String> skills,
      Set<String> chats,
      AgentState state,
      String reason,
      boolean connected) {}

  /** The agent is online at this home; its view as the router has it. */
  Future<AgentView> online(Registration r);

  void offline(String agentId);

  void forget(String agentId);

  Future<AgentView> setState(String agentId, AgentState state, String reason);

  /** The agent accepts its offer: the offer (chat and location) for the home to accept it. */
  Future<Offer> accepting(String agentId, String offerId);

  Future<Void> reject(String agentId, String offerId);

  void acceptDone(String offerId, AcceptOutcome outcome);

  void chatEnded(String agentId, String chatId, boolean byAgent);

  void released(String agentId, String chatId);

  void left(String agentId, String chatId);

  /** No router is reachable now (the lease is changing hands). */
  RouterAccess NONE = new Unreachable();
}
