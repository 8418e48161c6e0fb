package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.cluster.Membership;
import dev.hachat.server.config.HaOptions;
import dev.hachat.store.InstanceRecord;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A member of a cluster ({@link Ha#cluster}): ownership needs the lease and the quarantine over
 * ({@link Membership#ownershipGuard()}), chats it does not hold are restored ({@link
 * SessionRestorer}, with {@code session-restoration-mode: simple}), chats leave by {@link HandOver}
 * for the instance {@link Survivors} picks.
 *
 * <p>Threading: thread-safe; it keeps no state of its own beyond its parts, which are thread-safe.
 */
final class ClusteredHa implements HaPart {
  private final Membership membership;
  private final HaOptions options;
  private final Survivors survivors;
  private final HandOver handOver;

  /** Null with {@code session-restoration-mode: none}: a chat not held is not found. */
  private final SessionRestorer restorer;

  /**
   * @param loops the loop of a session id
   * @param install puts a claimed session into the engine
   * @param state the engine's state (no claims while it evacuates or stops)
   */
  ClusteredHa(
      Ha.Cluster ha,
      EngineSetup setup,
      Function<String, SessionLoop> loops,
      Function<SessionRestorer.StoredSessionClaim, Session> install,
      Supplier<EngineState> state) {
    this.membership = ha.membership();
    this.options = ha.options();
    String instanceId = setup.instanceId();
    this.survivors = new Survivors(membership, instanceId);
    this.handOver =
        new HandOver(
            setup.vertx(), instanceId, setup.store(), setup.kpi(), ha.handOverTimeoutMillis());
    this.restorer =
        options.getSessionRestorationMode() == HaOptions.RestorationMode.SIMPLE
            ? new SessionRestorer(
                instanceId,
                setup.store(),
                membership,
                loops,
                install,
                membership::ownershipGuard,
                this::quarantined,
                setup.kpi(),
                new SessionRestorer.Policy() {
                  @Override
                  public boolean mayClaim() {
                    EngineState st = state.get();
                    return st != EngineState.EVACUATING && st != EngineState.STOPPING;
                  }

                  @Override
                  public Optional<InstanceRecord> survivorFor(String chatId) {
                    return survivors.forChat(chatId);
                  }

                  @Override
                  public Optional<InstanceRecord> heirOf(String chatId, String deadOwner) {
                    return survivors.heirOf(chatId, deadOwner);
                  }
                },
                options.getHeartbeatTimeout(),
                options.getRestoreConcurrency())
            : null;
  }

  @Override
  public BooleanSupplier ownershipGuard() {
    return membership.ownershipGuard();
  }

  @Override
  public ChatException quarantined() {
    long left = membership.quarantineLeftMillis();
    return new ChatException(
        ErrorCode.INSTANCE_UNAVAILABLE,
        left > 0
            ? "this instance has just (re)gained its lease and takes no chats for "
                + left
                + " ms; retry"
            : "this instance holds no lease now (its heartbeats fail); retry");
  }

  @Override
  public boolean restores() {
    return restorer != null;
  }

  @Override
  public boolean purgesFenced() {
    return options.isSessionRestoreDoPurge();
  }

  @Override
  public Future<Session> restore(String chatId) {
    return restorer == null ? HaPart.notFound() : restorer.restore(chatId);
  }

  @Override
  public Future<Session> restoreInBackground(String chatId) {
    return restorer == null ? HaPart.notFound() : restorer.restore(chatId, false);
  }

  @Override
  public Optional<InstanceRecord> survivorFor(String chatId) {
    return survivors.forChat(chatId);
  }

  @Override
  public Future<HandOverOutcome> handOver(Session session) {
    return handOver.handOver(session);
  }
}
