package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.server.auth.TestAccounts;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With security on, a new chat needs a peer token; failed tokens are throttled and counted. */
class WebApiPeerAuthTest extends WebApiTestBase {
  @TempDir Path dir;

  private HttpResponse<Buffer> newChat(int securePort, String authorization) throws Exception {
    return await(
        http.post(securePort, "127.0.0.1", "/v1/chats")
            .putHeader("Authorization", authorization)
            .sendJsonObject(new JsonObject().put("nickname", "Ann")));
  }

  @Test
  void failed_peer_tokens_are_rate_limited_and_counted() throws Exception {
    Authenticator auth = await(TestAccounts.authenticator(vertx, dir));
    int secure = await(WebApiServer.create(vertx, engine, options.setPort(0), auth).listen());
    String peer = "Bearer " + auth.issueToken(Principal.of("gms-1", Role.PEER));
    assertThat(newChat(secure, peer).statusCode()).isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      assertError(newChat(secure, "Bearer forged"), 401, "UNAUTHORIZED");
    }
    assertError(newChat(secure, peer), 429, "RATE_LIMITED");
    assertThat(engine.kpi().toJson().getLong("limit_logins")).isEqualTo(1);
  }
}
