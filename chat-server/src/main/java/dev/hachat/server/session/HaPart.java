package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.InstanceRecord;
import io.vertx.core.Future;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The engine's high-availability part: the guards on ownership, restore, survivors and hand-over.
 * {@link StandAloneHa} for a single instance, {@link ClusteredHa} for a member of a cluster; built
 * once, with the engine ({@link #of}). Implementations are thread-safe.
 */
interface HaPart {

  /** Builds the part {@code ha} asks for, bound to its engine. */
  static HaPart of(
      Ha ha,
      EngineSetup setup,
      Function<String, SessionLoop> loops,
      Function<SessionRestorer.StoredSessionClaim, Session> install,
      Supplier<EngineState> state) {
    if (ha instanceof Ha.Cluster c) {
      return new ClusteredHa(c, setup, loops, install, state);
    }
    setup.kpi().restores(() -> 0, () -> 0); // nothing to restore from: the gauges stay at 0
    return new StandAloneHa();
  }

  /**
   * The acknowledge guard for a session created or claimed now, or {@code null} while this instance
   * may take no new ownership (quarantine, no lease; R7). Take it before the create or claim is
   * sent.
   */
  BooleanSupplier ownershipGuard();

  /** The retryable answer while {@link #ownershipGuard()} is null. */
  ChatException quarantined();

  /**
   * Whether chats are restored here: then nothing may be shown before it is saved (R6), since an
   * entry seen by a client and then lost in a crash would give its index to another entry.
   */
  boolean restores();

  /**
   * Whether a fenced copy is dropped at once ({@code session-restore-do-purge}) rather than kept
   * answering {@code NOT_OWNER} for its retention time.
   */
  boolean purgesFenced();

  /** Brings in a chat this instance does not hold, or fails ({@code CHAT_NOT_FOUND}, typed). */
  Future<Session> restore(String chatId);

  /** Like {@link #restore}, for a chat nobody waits for yet: after those somebody waits for. */
  default Future<Session> restoreInBackground(String chatId) {
    return restore(chatId);
  }

  /** The instance a chat leaving this one goes to, if any. */
  Optional<InstanceRecord> survivorFor(String chatId);

  /** Hands a live chat to the other instances. */
  Future<HandOverOutcome> handOver(Session session);

  /** The answer for a chat that is neither held nor restored here. */
  static <T> Future<T> notFound() {
    return Future.failedFuture(new ChatException(ErrorCode.CHAT_NOT_FOUND, "no chat with this id"));
  }
}
