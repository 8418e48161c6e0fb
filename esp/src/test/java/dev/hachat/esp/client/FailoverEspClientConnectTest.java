package dev.hachat.esp.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Connections that fail at once (a loopback port nobody listens on), many in parallel: each call
 * fails with a typed error at its failover deadline; none with {@code IllegalStateException:
 * Recursive update} from the connection map.
 */
class FailoverEspClientConnectTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void stop() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void refused_connections_fail_typed_and_never_as_a_recursive_update() throws Exception {
    FailoverEspClientOptions o =
        new FailoverEspClientOptions()
            .setEndpoints(List.of("127.0.0.1:" + closedPort(), "127.0.0.1:" + closedPort()))
            .setRetryMinDelay(1)
            .setRetryMaxDelay(2)
            .setFailoverTimeout(300);
    List<Future<FailoverEspClient>> attempts = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      attempts.add(FailoverEspClient.connect(vertx, o));
    }
    for (Future<FailoverEspClient> f : attempts) {
      Throwable cause =
          f.toCompletionStage().toCompletableFuture().handle((v, e) -> e).get(20, TimeUnit.SECONDS);
      while (cause instanceof java.util.concurrent.CompletionException
          && cause.getCause() != null) {
        cause = cause.getCause();
      }
      assertThat(cause).isInstanceOf(ChatException.class);
    }
  }
}
