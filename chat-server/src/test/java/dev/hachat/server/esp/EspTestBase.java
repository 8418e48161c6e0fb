package dev.hachat.server.esp;

import static dev.hachat.testing.Await.await;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.server.config.EspPortOptions;
import dev.hachat.server.config.TranscriptOptions;
import dev.hachat.server.metrics.Kpi;
import dev.hachat.server.session.AfterClose;
import dev.hachat.server.session.ChatEngine;
import dev.hachat.server.session.Ha;
import dev.hachat.server.session.Joined;
import dev.hachat.server.session.Session;
import dev.hachat.store.TranscriptStores;
import dev.hachat.store.spi.TranscriptStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Engine + ESP port on real sockets; agents use the ESP client library. */
abstract class EspTestBase {
  protected final Vertx vertx = Vertx.vertx();
  protected final EspPortOptions options = new EspPortOptions().setPort(0);
  protected ChatEngine engine;
  protected int port;

  static void assertFailsWith(ErrorCode code, Future<?> f) {
    Assertions.assertThatThrownBy(() -> await(f))
        .isInstanceOfSatisfying(
            ChatException.class, e -> Assertions.assertThat(e.code()).isEqualTo(code));
  }

  @BeforeEach
  void startPort() throws Exception {
    TranscriptStore store = TranscriptStores.inMemory();
    engine =
        ChatEngine.create(
            vertx,
            "cs-esp",
            store,
            dev.hachat.server.testing.GenerousLimits.sessionOptions(),
            new TranscriptOptions(),
            new Kpi(new SimpleMeterRegistry()),
            Clock.systemUTC(),
            Ha.standAlone(),
            AfterClose.deleteRecords(store));
    await(engine.start(2));
    port = await(EspServer.create(vertx, engine, options).listen());
  }

  @AfterEach
  void stopVertx() throws Exception {
    await(vertx.close());
  }

  EspClient connect() throws Exception {
    return await(EspClient.connect(vertx, new EspClientOptions().setPort(port)));
  }

  EspClient agent(String id, String nick) throws Exception {
    EspClient c = connect();
    await(c.login(id, nick, null));
    return c;
  }

  Joined customer() throws Exception {
    return await(engine.requestChat("Ann", "billing", Map.of("order", "A-17")));
  }

  Session session(Joined j) throws Exception {
    return await(engine.find(j.chatId()));
  }
}
