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

/**
 * The per-address limit of new chats on the webapi port, over real sockets: open mode counts the
 * caller's address (or the one it names); with security on only a peer may name the customer's
 * address, and a peer that names none is not counted. Burst 2, one more a minute: the third chat
 * from one address within the test is refused.
 */
class WebApiNewChatLimitTest extends WebApiTestBase {
  @TempDir Path dir;

  {
    options.setNewChatsPerMinute(1).setNewChatsBurst(2);
  }

  private HttpResponse<Buffer> newChat(int port, String authorization, String forwardedFor)
      throws Exception {
    var req = http.post(port, "127.0.0.1", "/v1/chats");
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    if (forwardedFor != null) {
      req.putHeader("X-Forwarded-For", forwardedFor);
    }
    return await(req.sendJsonObject(new JsonObject().put("nickname", "Ann")));
  }

  private long limited() {
    return engine.kpi().toJson().getLong("limit_new_chats");
  }

  @Test
  void open_mode_counts_the_callers_address_or_the_one_it_names() throws Exception {
    assertThat(newChat(port, null, null).statusCode()).isEqualTo(201);
    Customer kept = requestChat();
    assertError(newChat(port, null, null), 429, "RATE_LIMITED");
    assertThat(limited()).isEqualTo(1);
    // another named address has its own bucket; an existing chat is not limited
    assertThat(newChat(port, null, "203.0.113.7").statusCode()).isEqualTo(201);
    assertThat(send(kept, "m1", "still here").getString("text")).isEqualTo("still here");
  }

  @Test
  void secured_counts_the_address_a_peer_names_and_exempts_a_peer_that_names_none()
      throws Exception {
    Authenticator auth = await(TestAccounts.authenticator(vertx, dir));
    int secured = await(WebApiServer.create(vertx, engine, options, auth).listen());
    String peer = "Bearer " + auth.issueToken(Principal.of("gms-1", Role.PEER));
    for (int i = 0; i < 2; i++) {
      assertThat(newChat(secured, peer, "203.0.113.7").statusCode()).isEqualTo(201);
    }
    // the peer's own entry is the last one; what the customer claimed before it does not count
    HttpResponse<Buffer> refused = newChat(secured, peer, "198.51.100.9, 203.0.113.7");
    assertError(refused, 429, "RATE_LIMITED");
    assertThat(refused.bodyAsJsonObject().getJsonObject("error").getString("message"))
        .contains("new chats");
    assertThat(newChat(secured, peer, "203.0.113.8").statusCode()).isEqualTo(201);
    for (int i = 0; i < 3; i++) {
      assertThat(newChat(secured, peer, null).statusCode()).as("not counted").isEqualTo(201);
    }
    // no peer token: refused before the limit, whatever address it names
    assertError(newChat(secured, null, "203.0.113.9"), 401, "UNAUTHORIZED");
    assertThat(newChat(secured, peer, "203.0.113.9").statusCode()).isEqualTo(201);
    assertThat(limited()).isEqualTo(1);
  }
}
