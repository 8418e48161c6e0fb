package dev.hachat.gms;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.gms.config.GmsOptions;
import dev.hachat.server.auth.TestAccounts;
import dev.hachat.store.impl.memory.MemoryInstanceRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /instances} with security on: operators only, failed logins throttled and counted. */
class GmsOperatorAuthTest {
  private final Vertx vertx = Vertx.vertx();
  private final WebClient http = WebClient.create(vertx);
  @TempDir Path dir;
  private GmsServer gms;

  @BeforeEach
  void start() throws Exception {
    GmsOptions o = new GmsOptions().setId("gms-auth-test").setSecurity(TestAccounts.options(dir));
    o.getHttp().setPort(0);
    gms = await(GmsServer.start(vertx, o, new MemoryInstanceRegistry()));
  }

  @AfterEach
  void stop() throws Exception {
    await(gms.stop());
    await(vertx.close());
  }

  /** The status of {@code GET /instances} as op-1 with {@code password}. */
  private int instances(String password) throws Exception {
    return await(
            http.get(gms.port(), "127.0.0.1", "/instances")
                .putHeader("Authorization", HttpCredentials.basic("op-1", password))
                .send())
        .statusCode();
  }

  @Test
  void failed_operator_logins_are_rate_limited_and_counted() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(instances("guess")).isEqualTo(401);
    }
    assertThat(instances("pw-op-1")).as("the right password, too late").isEqualTo(429);
    assertThat(await(http.get(gms.port(), "127.0.0.1", "/metrics").send()).bodyAsString())
        .contains("hachat_webapi_rate_limited_total{limit=\"login-failures\"} 1.0")
        // the CometD endpoint's limits are on the same registry (CometdLimitsTest moves them)
        .contains("hachat_webapi_rate_limited_total{limit=\"chats-per-cometd-client\"} 0.0")
        .contains("hachat_webapi_cometd_first_message_timeouts_total 0.0");
  }
}
