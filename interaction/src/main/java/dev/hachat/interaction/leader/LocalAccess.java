package dev.hachat.interaction.leader;

import dev.hachat.interaction.routing.AcceptOutcome;
import dev.hachat.interaction.routing.AgentState;
import dev.hachat.interaction.routing.AgentView;
import dev.hachat.interaction.routing.Offer;
import dev.hachat.interaction.routing.Router;
import io.vertx.core.Future;

/**
 * The router in this process, for the agents of {@code home} (this server, or a peer whose link it
 * serves). Runs on the router's context; every call completes at once.
 */
public final class LocalAccess implements RouterAccess {
  private final Router router;
  private final String home;
  private final java.util.function.BiConsumer<String, String> moved;

  /**
   * @param moved told {@code (formerHome, agentId)} when an agent registers here that another home
   *     served until now (its desktop reconnected elsewhere): the former home lets its desk go
   *     without leaving the chats
   */
  public LocalAccess(
      Router router, String home, java.util.function.BiConsumer<String, String> moved) {
    this.router = router;
    this.home = home;
    this.moved = moved;
  }

  private static <T> Future<T> call(java.util.function.Supplier<T> op) {
    try {
      return Future.succeededFuture(op.get());
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  @Override
  public Future<AgentView> online(Registration r) {
    return call(
        () -> {
          String before = router.homeOf(r.agentId());
          if (!before.isEmpty() && !before.equals(home)) {
            if (!r.connected() && router.agentView(r.agentId()).online()) {
              // A desk in its grace period (registered again after a link came back) never takes
              // an agent from the home its desktop is connected to now: that desk is dropped.
              moved.accept(home, r.agentId());
              return router.agentView(r.agentId());
            }
            moved.accept(before, r.agentId());
          }
          router.online(
              r.agentId(), home, r.capacity(), r.skills(), r.chats(), r.state(), r.reason());
          return router.agentView(r.agentId());
        });
  }

  @Override
  public void offline(String agentId) {
    if (home.equals(router.homeOf(agentId))) {
      router.offline(agentId);
    }
  }

  @Override
  public void forget(String agentId) {
    if (home.equals(router.homeOf(agentId))) {
      router.forget(agentId);
    }
  }

  @Override
  public Future<AgentView> setState(String agentId, AgentState state, String reason) {
    return call(
        () -> {
          router.setState(agentId, state, reason);
          return router.agentView(agentId);
        });
  }

  @Override
  public Future<Offer> accepting(String agentId, String offerId) {
    return call(() -> router.answer(agentId, offerId, true));
  }

  @Override
  public Future<Void> reject(String agentId, String offerId) {
    return call(
        () -> {
          router.answer(agentId, offerId, false);
          return null;
        });
  }

  @Override
  public void acceptDone(String offerId, AcceptOutcome outcome) {
    router.acceptDone(offerId, outcome);
  }

  @Override
  public void chatEnded(String agentId, String chatId, boolean byAgent) {
    router.chatEnded(agentId, chatId, byAgent);
  }

  @Override
  public void released(String agentId, String chatId) {
    router.released(agentId, chatId);
  }

  @Override
  public void left(String agentId, String chatId) {
    router.left(agentId, chatId);
  }
}
