package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.store.SessionRecord;
import io.vertx.core.Future;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether this instance takes a new chat, and the first step of taking one: the engine's state
 * (normal, disabled, draining, evacuating, stopping), the quarantine (R7), {@code
 * limit-for-sessions}, the checks of the request, and the chat's ownership record created in the
 * store. Built once by {@link ChatEngine}.
 *
 * <p>Threading: thread-safe; the state is in volatile fields (written by the operator procedures,
 * read by any thread), the open slots in the {@link SessionTable}.
 */
final class Admission {
  private static final Logger LOG = LoggerFactory.getLogger(Admission.class);

  /**
   * A chat admitted: its record, stored at {@code epoch}, its guard and the customer's nickname.
   */
  record NewChat(SessionRecord record, long epoch, BooleanSupplier guard, String nickname) {}

  private final EngineSetup setup;
  private final InputLimits limits;
  private final SessionTable table;
  private final HaPart ha;
  private volatile boolean running = true;
  private volatile boolean disabled;
  private volatile EngineState phase;

  Admission(EngineSetup setup, SessionTable table, HaPart ha) {
    this.setup = setup;
    this.limits = new InputLimits(setup.sessionOptions());
    this.table = table;
    this.ha = ha;
  }

  boolean isAccepting() {
    return running && !disabled;
  }

  boolean isStopping() {
    return !running;
  }

  /** Normal, disabled, draining, evacuating or stopping (stopping wins). */
  EngineState state() {
    if (!running) {
      return EngineState.STOPPING;
    }
    EngineState p = phase;
    if (p != null) {
      return p;
    }
    return disabled ? EngineState.DISABLED : EngineState.NORMAL;
  }

  void setPhase(EngineState phase) {
    this.phase = phase;
  }

  void disable() {
    if (!disabled) {
      disabled = true;
      LOG.info(
          "[{}] disabled: no new chats; {} open chats go on",
          setup.instanceId(),
          table.openCount());
    }
  }

  void enable() {
    if (disabled) {
      disabled = false;
      LOG.info("[{}] enabled: takes new chats again", setup.instanceId());
    }
  }

  void stop() {
    running = false;
  }

  /**
   * Admits a new chat: checks that it may be taken and that the request is sound, takes an open
   * slot and creates the chat's ownership record. On failure (typed) the slot is given back; on
   * success the caller puts the chat into the {@link SessionTable} ({@link SessionTable#add}).
   */
  Future<NewChat> admit(String nickname, String subject, Map<String, String> userData) {
    if (!isAccepting()) {
      setup.kpi().sessionRejected();
      return Future.failedFuture(
          new ChatException(
              ErrorCode.INSTANCE_UNAVAILABLE,
              "this instance is " + state().wireName() + " and takes no new chats"));
    }
    // The guard is taken before the create is sent (R7): none while in quarantine.
    BooleanSupplier guard = ha.ownershipGuard();
    if (guard == null) {
      setup.kpi().sessionRejected();
      return Future.failedFuture(ha.quarantined());
    }
    if (!table.reserve(setup.sessionOptions().getLimitForSessions())) {
      setup.kpi().sessionRejected();
      return Future.failedFuture(
          new ChatException(
              ErrorCode.SESSION_LIMIT_REACHED,
              "this instance holds its limit of "
                  + setup.sessionOptions().getLimitForSessions()
                  + " chats"));
    }
    String nick;
    try {
      nick = limits.checkNickname(nickname);
      limits.checkSubject(subject);
      if (userData != null) {
        limits.checkUserData(Map.of(), userData);
        ReservedKeys.refuse(userData);
      }
    } catch (ChatException e) {
      table.unreserve();
      return Future.failedFuture(e);
    }
    SessionRecord record =
        new SessionRecord(Secrets.newId(), setup.clock().millis(), subject, userData);
    return create(record)
        .recover(
            e -> {
              table.unreserve();
              setup.kpi().saveFailure();
              return Future.failedFuture(
                  new ChatException(
                      ErrorCode.STORE_UNAVAILABLE, "the chat could not be saved; try again"));
            })
        .map(epoch -> new NewChat(record, epoch, guard, nick));
  }

  /** The chat's ownership record (epoch 1 unsaved when {@code transcript-auto-save} is 0). */
  private Future<Long> create(SessionRecord record) {
    if (setup.transcriptOptions().getTranscriptAutoSave() == 0) {
      return Future.succeededFuture(1L);
    }
    return setup
        .store()
        .create(record, setup.instanceId())
        .timeout(setup.transcriptOptions().getTranscriptSaveTimeout(), TimeUnit.MILLISECONDS)
        .map(o -> o.epoch());
  }
}
