package dev.hachat.server.instanceapi;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.server.auth.TestAccounts;
import dev.hachat.testing.PartialRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With security on, a new chat needs a peer token, checked before the body is read; failed tokens
 * are throttled and counted.
 */
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
    assertError(newChat(secure, "Bearer forged"), 429, "RATE_LIMITED");
    // a valid token still passes the throttled address: bad ones must not lock peers out
    assertThat(newChat(secure, peer).statusCode()).isEqualTo(201);
    assertThat(engine.kpi().toJson().getLong("limit_logins")).isEqualTo(1);
  }

  @Test
  void a_new_chat_without_a_token_is_refused_before_its_body_is_read() throws Exception {
    Authenticator auth = await(TestAccounts.authenticator(vertx, dir));
    int secure = await(WebApiServer.create(vertx, engine, options.setPort(0), auth).listen());
    // Announces a body under max-body-size (4096 here) and sends only its first bytes: a body
    // reader in front of the token check would wait for the rest and answer nothing.
    String answer =
        await(
            PartialRequest.answerBeforeClose(
                vertx,
                secure,
                "POST /v1/chats HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n"
                    + "content-length: 4000\r\n\r\n{\"nickname\":\""),
            Duration.ofSeconds(5));
    assertThat(answer)
        .startsWith("HTTP/1.1 401")
        .containsIgnoringCase("connection: close")
        .contains("\"UNAUTHORIZED\"");
    assertThat(engine.activeSessions()).isZero();
  }

  @Test
  void a_new_chat_with_a_token_still_gets_its_whole_body() throws Exception {
    Authenticator auth = await(TestAccounts.authenticator(vertx, dir));
    int secure = await(WebApiServer.create(vertx, engine, options.setPort(0), auth).listen());
    String peer = "Bearer " + auth.issueToken(Principal.of("gms-1", Role.PEER));
    // Near max-body-size (4096 here): the paused request loses nothing of it.
    String body = new JsonObject().put("nickname", "Ann").encode() + " ".repeat(3_900);

    HttpResponse<Buffer> r =
        await(
            http.post(secure, "127.0.0.1", "/v1/chats")
                .putHeader("Authorization", peer)
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer(body)));

    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(201);
    assertThat(r.bodyAsJsonObject().getString("chatId")).isNotBlank();
  }
}
