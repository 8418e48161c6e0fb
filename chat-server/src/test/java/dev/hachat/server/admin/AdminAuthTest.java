package dev.hachat.server.admin;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.server.auth.TestAccounts;
import dev.hachat.testing.PartialRequest;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin guard: who may change state or read transcripts. */
class AdminAuthTest {
  private final Vertx vertx = Vertx.vertx();
  @TempDir Path dir;
  private Authenticator auth;
  private WebClient client;
  private int port;
  private final AtomicInteger rateLimited = new AtomicInteger();

  private int serve(Authenticator a) throws Exception {
    Router r = Router.router(vertx);
    r.post("/admin/*").handler(new AdminAuth(a, rateLimited::incrementAndGet));
    r.post("/admin/disable").handler(ctx -> ctx.response().end("{}"));
    return await(vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1")).actualPort();
  }

  @BeforeEach
  void start() throws Exception {
    auth = await(TestAccounts.authenticator(vertx, dir));
    port = serve(auth);
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() throws Exception {
    await(vertx.close());
  }

  private HttpResponse<Buffer> post(int p, String authorization) throws Exception {
    var req = client.post(p, "127.0.0.1", "/admin/disable");
    if (authorization != null) {
      req.putHeader("Authorization", authorization);
    }
    return await(req.send());
  }

  private static String code(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  @Test
  void no_or_wrong_credentials_are_401_with_a_challenge() throws Exception {
    for (String h :
        new String[] {
          null, HttpCredentials.basic("op-1", "guess"), "Bearer nonsense", "Digest x", "Basic !!"
        }) {
      HttpResponse<Buffer> r = post(port, h);
      assertThat(r.statusCode()).as(String.valueOf(h)).isEqualTo(401);
      assertThat(r.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"hachat\"");
      assertThat(code(r)).isEqualTo("UNAUTHORIZED");
    }
  }

  @Test
  void an_agent_account_or_an_agent_token_is_403() throws Exception {
    HttpResponse<Buffer> r = post(port, HttpCredentials.basic("agent-1", "pw-agent-1"));
    assertThat(r.statusCode()).isEqualTo(403);
    assertThat(code(r)).isEqualTo("FORBIDDEN");
    String agentToken = auth.issueToken(Principal.of("agent-1", Role.AGENT));
    assertThat(post(port, "Bearer " + agentToken).statusCode()).isEqualTo(403);
  }

  @Test
  void an_operator_account_and_peer_or_operator_tokens_pass() throws Exception {
    assertThat(post(port, HttpCredentials.basic("op-1", "pw-op-1")).statusCode()).isEqualTo(200);
    String peer = auth.issueToken(Principal.of("cs-2", Role.PEER));
    assertThat(post(port, "Bearer " + peer).statusCode()).isEqualTo(200);
    String operator = auth.issueToken(Principal.of("op-1", Role.OPERATOR));
    assertThat(post(port, "Bearer " + operator).statusCode()).isEqualTo(200);
  }

  @Test
  void failed_basic_logins_are_throttled_with_429() throws Exception {
    for (int i = 0; i < 3; i++) {
      assertThat(post(port, HttpCredentials.basic("op-1", "guess")).statusCode()).isEqualTo(401);
    }
    HttpResponse<Buffer> r = post(port, HttpCredentials.basic("op-1", "pw-op-1"));
    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(code(r)).isEqualTo("RATE_LIMITED");
    assertThat(rateLimited).as("the KPI hook").hasValue(1);
  }

  /** The admin port's guard and body reader ({@link AdminAuth#mount}) and an adopt that echoes. */
  private int serveAdopt(AtomicBoolean reached) throws Exception {
    Router r = Router.router(vertx);
    AdminAuth.mount(r, auth, rateLimited::incrementAndGet);
    r.post("/admin/adopt")
        .handler(
            ctx -> {
              reached.set(true);
              int ids = ctx.body().asJsonObject().getJsonArray("chatIds").size();
              ctx.response().end(new JsonObject().put("ids", ids).encode());
            });
    return await(vertx.createHttpServer().requestHandler(r).listen(0, "127.0.0.1")).actualPort();
  }

  @Test
  void an_unauthenticated_adopt_is_refused_before_its_body_is_read() throws Exception {
    AtomicBoolean reached = new AtomicBoolean();
    int p = serveAdopt(reached);
    // Announces almost 1 MiB (under the adopt limit) and sends only its first bytes: a body
    // reader in front of the guard would wait for the rest and answer nothing.
    String answer =
        await(
            PartialRequest.answerBeforeClose(
                vertx,
                p,
                "POST /admin/adopt HTTP/1.1\r\nHost: localhost\r\ncontent-type: application/json\r\n"
                    + "content-length: 1000000\r\n\r\n{\"chatIds\":["),
            Duration.ofSeconds(5));
    assertThat(answer).startsWith("HTTP/1.1 401").contains("\"UNAUTHORIZED\"");
    assertThat(reached).isFalse();
  }

  @Test
  void an_authenticated_adopt_gets_its_whole_body() throws Exception {
    int p = serveAdopt(new AtomicBoolean());
    JsonArray ids = new JsonArray();
    for (int i = 0; i < 5000; i++) {
      ids.add("chat-" + i);
    }
    HttpResponse<Buffer> r =
        await(
            client
                .post(p, "127.0.0.1", "/admin/adopt")
                .putHeader("Authorization", HttpCredentials.basic("op-1", "pw-op-1"))
                .sendJsonObject(new JsonObject().put("chatIds", ids)));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    assertThat(r.bodyAsJsonObject().getInteger("ids")).isEqualTo(5000);
  }

  @Test
  void open_mode_lets_everything_through() throws Exception {
    assertThat(post(serve(Authenticator.open()), null).statusCode()).isEqualTo(200);
  }
}
