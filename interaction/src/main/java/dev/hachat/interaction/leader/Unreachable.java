package dev.hachat.interaction.leader;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.interaction.routing.AcceptOutcome;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.Offer;
import io.vertx.core.Future;

/**
 * The router while none is reachable: requests fail INSTANCE_UNAVAILABLE (retry), the rest is
 * dropped (the home registers its agents again with the next router).
 */
final class Unreachable implements RouterAccess {
  private static <T> Future<T> unavailable() {
    return Future.failedFuture(
        new ChatException(
            ErrorCode.INSTANCE_UNAVAILABLE, "routing is changing hands; retry in a second"));
  }

  @Override
  public Future<AgentView> online(Registration r) {
    return unavailable();
  }

  @Override
  public void offline(String agentId) {}

  @Override
  public void forget(String agentId) {}

  @Override
  public Future<AgentView> setState(String agentId, AgentState state, String reason) {
    return unavailable();
  }

  @Override
  public Future<Offer> accepting(String agentId, String offerId) {
    return unavailable();
  }

  @Override
  public Future<Void> reject(String agentId, String offerId) {
    return unavailable();
  }

  @Override
  public void acceptDone(String offerId, AcceptOutcome outcome) {}

  @Override
  public void chatEnded(String agentId, String chatId, boolean byAgent) {}

  @Override
  public void released(String agentId, String chatId) {}

  @Override
  public void left(String agentId, String chatId) {}
}
