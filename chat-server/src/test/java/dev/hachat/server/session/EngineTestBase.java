package dev.hachat.server.session;

import static dev.hachat.testing.Await.await;

import dev.hachat.server.config.SessionOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.testing.ManualClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;

/** Starts an engine on a real Vert.x with a controllable in-memory store. */
abstract class EngineTestBase {
  protected final Vertx vertx = Vertx.vertx();
  protected final ManualClock clock = new ManualClock();
  protected final ControllableStore store = new ControllableStore();
  protected final SessionOptions sessionOptions =
      dev.hachat.server.testing.GenerousLimits.sessionOptions();
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

  protected Joined newChat() throws Exception {
    return await(engine.requestChat("Ann", "billing", Map.of("lang", "en")));
  }

  protected Session session(Joined j) throws Exception {
    return await(engine.find(j.chatId()));
  }
}
