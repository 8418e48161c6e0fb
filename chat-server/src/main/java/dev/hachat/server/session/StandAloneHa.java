package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.store.InstanceRecord;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * A single instance ({@link Ha#standAlone()}): it owns what it creates, with no lease to lose; it
 * restores nothing and hands nothing over. Stateless.
 */
final class StandAloneHa implements HaPart {
  private static final BooleanSupplier ALWAYS = () -> true;

  @Override
  public BooleanSupplier ownershipGuard() {
    return ALWAYS;
  }

  @Override
  public ChatException quarantined() {
    throw new IllegalStateException("a stand-alone instance has no quarantine");
  }

  @Override
  public boolean restores() {
    return false;
  }

  @Override
  public boolean purgesFenced() {
    return true;
  }

  @Override
  public Future<Session> restore(String chatId) {
    return HaPart.notFound();
  }

  @Override
  public Optional<InstanceRecord> survivorFor(String chatId) {
    return Optional.empty();
  }

  @Override
  public Future<HandOverOutcome> handOver(Session session) {
    // Nobody to hand it to: the chat stays.
    return Future.succeededFuture(HandOverOutcome.FAILED);
  }
}
