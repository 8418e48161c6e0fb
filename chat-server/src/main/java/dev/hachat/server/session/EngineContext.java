package dev.hachat.server.session;

import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.CloseInfo;
import io.vertx.core.Future;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine side of each session ({@link SessionContext}): its options and checks, its save
 * pipeline, the waiting list, and what the engine does when it closes or is fenced. Built once by
 * {@link ChatEngine}. Thread-safe: sessions call it from their loops.
 */
final class EngineContext implements SessionContext {
  private static final Logger LOG = LoggerFactory.getLogger(EngineContext.class);

  private final EngineSetup setup;
  private final InputLimits limits;
  private final WaitingChats waiting;
  private final SessionTable table;
  private final SessionEnd sessionEnd;
  private final HaPart ha;

  EngineContext(
      EngineSetup setup,
      WaitingChats waiting,
      SessionTable table,
      SessionEnd sessionEnd,
      HaPart ha) {
    this.setup = setup;
    this.limits = new InputLimits(setup.sessionOptions());
    this.waiting = waiting;
    this.table = table;
    this.sessionEnd = sessionEnd;
    this.ha = ha;
  }

  @Override
  public String instanceId() {
    return setup.instanceId();
  }

  @Override
  public Clock clock() {
    return setup.clock();
  }

  @Override
  public SessionOptions sessionOptions() {
    return setup.sessionOptions();
  }

  @Override
  public TranscriptOptions transcriptOptions() {
    return setup.transcriptOptions();
  }

  @Override
  public Kpi kpi() {
    return setup.kpi();
  }

  @Override
  public SavePipeline newWriter(
      String sessionId,
      SessionLoop loop,
      long epoch,
      long lastIndex,
      SavePipeline.Sink sink,
      String logPrefix,
      BooleanSupplier canAcknowledge) {
    return new SavePipeline(
        setup.vertx(),
        loop,
        setup.store(),
        setup.transcriptOptions(),
        setup.kpi(),
        sessionId,
        epoch,
        lastIndex,
        sink,
        logPrefix,
        canAcknowledge,
        ha.restores());
  }

  @Override
  public String checkNickname(String nickname) {
    return limits.checkNickname(nickname);
  }

  @Override
  public void checkText(String text) {
    limits.checkText(text);
  }

  @Override
  public void checkClientMessageId(String clientMessageId) {
    limits.checkClientMessageId(clientMessageId);
  }

  @Override
  public void checkUserData(Map<String, String> current, Map<String, String> change) {
    limits.checkUserData(current, change);
  }

  @Override
  public void waiting(Session session) {
    waiting.add(session);
  }

  @Override
  public void noLongerWaiting(Session session, EngineListener.Why why) {
    waiting.remove(session, why);
  }

  @Override
  public Future<Void> persistClose(Session session, long epoch, CloseInfo info) {
    return sessionEnd.persistClose(session, epoch, info);
  }

  @Override
  public void closed(Session session) {
    table.countOut(session);
    setup.kpi().sessionClosed();
    LOG.debug("{} closed", session);
    // A closed session keeps answering (CHAT_ENDED, transcript reads) for a while; its
    // intermediate records go once it is no longer served.
    sessionEnd.retain(session, true);
  }

  @Override
  public void fenced(Session session, Relocation.Fence why) {
    noLongerWaiting(session, EngineListener.Why.MOVED);
    table.countOut(session);
    if (why == Relocation.Fence.HANDED_OVER) {
      table.remove(session); // counted as evacuated by the hand-over
      return;
    }
    LOG.info("{} fenced: this instance may no longer acknowledge for it", session);
    if (ha.purgesFenced()) {
      if (table.remove(session)) {
        setup.kpi().sessionPurged();
      }
    } else if (table.isCurrent(session)) {
      // Kept, fenced (requests get NOT_OWNER), until the retention time passes.
      sessionEnd.retain(session, false);
    }
  }
}
