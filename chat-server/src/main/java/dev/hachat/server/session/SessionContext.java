package dev.hachat.server.session;

import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.store.CloseInfo;
import io.vertx.core.Future;
import java.time.Clock;

/** What a {@link Session} needs from its engine; implemented by {@link EngineContext}. */
interface SessionContext {
  String instanceId();

  Clock clock();

  SessionOptions sessionOptions();

  TranscriptOptions transcriptOptions();

  Kpi kpi();

  SavePipeline newWriter(
      String sessionId,
      SessionLoop loop,
      long epoch,
      long lastIndex,
      SavePipeline.Sink sink,
      String logPrefix,
      java.util.function.BooleanSupplier canAcknowledge);

  /** Returns the trimmed nickname or throws a typed error. */
  String checkNickname(String nickname);

  /** Throws a typed error for a missing or oversize text. */
  void checkText(String text);

  /** Throws BAD_REQUEST for a missing, oversize or unstorable {@code clientMessageId}. */
  void checkClientMessageId(String clientMessageId);

  /** Throws a typed error if {@code change} would make {@code current} user data too large. */
  void checkUserData(java.util.Map<String, String> current, java.util.Map<String, String> change);

  /** The session waits for an agent. */
  void waiting(Session session);

  /** The session waits here no more, and why. */
  void noLongerWaiting(Session session, EngineListener.Why why);

  /** Records the close in the store. */
  Future<Void> persistClose(Session session, long epoch, CloseInfo info);

  /** The session has closed in memory. */
  void closed(Session session);

  /**
   * The session's copy here was fenced ({@link Relocation#fence}): it leaves the open count, and is
   * forgotten (handed over, or purged) or kept answering {@code NOT_OWNER} for a while.
   */
  void fenced(Session session, Relocation.Fence why);
}
