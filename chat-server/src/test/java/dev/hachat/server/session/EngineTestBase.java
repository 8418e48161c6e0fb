package dev.hachat.server.session;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;

/** Starts an engine on a real Vert.x with a controllable in-memory store. */
abstract class EngineTestBase {
  protected final Vertx vertx = Vertx.vertx();
  protected final MutableClock clock = new MutableClock();
  protected final ControllableStore store = new ControllableStore();
  protected final SessionOptions sessionOptions = new SessionOptions();
  protected final TranscriptOptions transcriptOptions =
      new TranscriptOptions().setTranscriptResendAttempts(2).setTranscriptResendDelay(10);
  protected Kpi kpi;
  protected ChatEngine engine;

  protected ChatEngine startEngine() throws Exception {
    sessionOptions.getInactivityControl().setEnabled(false); // tests drive checkInactivity()
    kpi = new Kpi(new SimpleMeterRegistry());
    engine =
        ChatEngine.create(
            vertx,
            "cs-test",
            store,
            sessionOptions,
            transcriptOptions,
            kpi,
            clock,
            Ha.standAlone(),
            AfterClose.deleteRecords(store));
    await(engine.start(2));
    return engine;
  }

  @AfterEach
  final void closeVertx() throws Exception {
    await(vertx.close());
  }

  protected static <T> T await(Future<T> f) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      throw e;
    }
  }

  protected static void assertFailsWith(ErrorCode code, Future<?> f) {
    Assertions.assertThatThrownBy(() -> await(f))
        .isInstanceOfSatisfying(
            ChatException.class, e -> Assertions.assertThat(e.code()).isEqualTo(code));
  }

  protected Joined newChat() throws Exception {
    return await(engine.requestChat("Ann", "billing", Map.of("lang", "en")));
  }

  protected Session session(Joined j) throws Exception {
    return await(engine.find(j.chatId()));
  }
}
