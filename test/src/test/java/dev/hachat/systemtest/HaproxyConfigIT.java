package dev.hachat.systemtest;

import static dev.hachat.systemtest.FailoverClients.awaitCondition;
import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the shipped {@code deploy/haproxy/haproxy.cfg} makes a real HAProxy do, in front of two
 * stand-in web API servers ({@link StubWebApi}) that can fail their health check or die in the
 * middle of a request: which requests it repeats on the other server, health checks, CometD
 * stickiness, the client address it forwards, what it keeps from the internet, its per-client
 * connection cap. The file is first checked with {@code haproxy -c}. No hachat process runs here
 * (see {@link HaproxyFailoverIT} for the live failover).
 */
@Tag("system")
class HaproxyConfigIT {
  private static final String CHAT = "/genesys/2/chat/customer-support";
  private static final String FORM = "application/x-www-form-urlencoded";

  static Vertx vertx;
  static StubWebApi gms1;
  static StubWebApi gms2;
  static HaproxyProcess haproxy;
  static WebClient http;

  @BeforeAll
  static void start() throws Exception {
    OpsTools.install("haproxy");
    vertx = Vertx.vertx();
    http = WebClient.create(vertx);
    gms1 = StubWebApi.start(vertx, "gms1");
    gms2 = StubWebApi.start(vertx, "gms2");
    Map<String, String> env =
        HaproxyProcess.environment("haproxy-config-it", List.of(gms1.port(), gms2.port()));
    env.put("HACHAT_CHECK_INTER", "200ms");
    env.put("HACHAT_CHECK_FASTINTER", "100ms");
    env.put("HACHAT_CHECK_RISE", "1");
    env.put("HACHAT_LB_OPERATOR_NETS", "127.0.0.2/32");
    env.put("HACHAT_LB_MAX_CONN_PER_CLIENT", "8");
    haproxy = HaproxyProcess.start("haproxy-config-it", env);
  }

  @AfterAll
  static void stop() throws Exception {
    if (haproxy != null) {
      haproxy.close();
    }
    if (vertx != null) {
      await(vertx.close());
    }
  }

  @BeforeEach
  void bothServersUp() throws Exception {
    gms1.reset();
    gms2.reset();
    awaitStatus("gms1", "UP");
    awaitStatus("gms2", "UP");
  }

  @Test
  void the_shipped_file_is_valid_with_its_own_defaults_and_with_the_tests_settings()
      throws Exception {
    HaproxyProcess.CheckResult shipped = HaproxyProcess.check(Map.of());
    assertThat(shipped.exitCode()).as(shipped.output()).isZero();
    assertThat(shipped.output()).contains("Configuration file is valid").doesNotContain("WARNING");
    Map<String, String> env =
        HaproxyProcess.environment("haproxy-check", List.of(gms1.port(), gms2.port()));
    HaproxyProcess.CheckResult test = HaproxyProcess.check(env);
    assertThat(test.exitCode()).as(test.output()).isZero();
    assertThat(Files.readString(HaproxyProcess.shippedConfig()))
        .as("the stats page binds to loopback unless told otherwise")
        .contains("presetenv HACHAT_LB_STATS_BIND     \"127.0.0.1:8404\"");
  }

  @Test
  void a_request_a_dying_server_took_is_repeated_elsewhere_only_if_a_repeat_cannot_change_the_chat()
      throws Exception {
    gms1.dying = true;
    String chat = CHAT + "/CH1";
    assertRepeated(chat + "/send", FORM, "message=hi&userId=u&messageId=%s");
    assertRepeated(chat + "/send", "application/json", "{\"message\":\"hi\",\"messageId\":\"%s\"}");
    assertRepeated(chat + "/customNotice", FORM, "message=n&messageId=%s");
    assertRepeated(chat + "/refresh", FORM, "transcriptPosition=1&userId=%s");
    assertRepeated(chat + "/disconnect", FORM, "userId=%s");
    assertNotRepeated(CHAT, null, "nickname=%s");
    assertNotRepeated(chat + "/send", null, "message=%s&userId=u");
    assertNotRepeated(chat + "/startTyping", null, "userId=%s");
    assertNotRepeated(chat + "/updateNickname", null, "nickname=%s");
    assertNotRepeated("/genesys/cometd/connect", "HACHAT_LB=gms1", "[{\"id\":\"%s\"}]");
  }

  /** Until gms1 (dying) took two: each is answered by gms2, which got it a second time. */
  private void assertRepeated(String path, String type, String body) throws Exception {
    int taken = 0;
    for (int i = 0; i < 20 && taken < 2; i++) {
      String tag = UUID.randomUUID().toString();
      HttpResponse<Buffer> r = post(http, path, type, null, body.formatted(tag));
      assertThat(r.statusCode()).as("%s %s", path, r.bodyAsString()).isEqualTo(200);
      assertThat(r.bodyAsJsonObject().getString("server")).isEqualTo("gms2");
      if (!gms1.seenWith(tag).isEmpty()) {
        taken++;
        assertThat(gms2.seenWith(tag)).as("repeated on gms2: %s", path).hasSize(1);
      }
    }
    assertThat(taken).as("gms1 took some of %s", path).isEqualTo(2);
  }

  /**
   * Until gms1 (dying) took two: each fails with HAProxy's GMS JSON 502; gms2 never saw it. Each on
   * a new connection: on a reused one HAProxy closes the connection without an answer instead, so
   * that the client may send it again, as browsers do (and no log line is written).
   */
  private void assertNotRepeated(String path, String cookie, String body) throws Exception {
    WebClient http = WebClient.create(vertx, new WebClientOptions().setKeepAlive(false));
    int taken = 0;
    for (int i = 0; i < 20 && taken < 2; i++) {
      String tag = UUID.randomUUID().toString();
      HttpResponse<Buffer> r = post(http, path, FORM, cookie, body.formatted(tag));
      if (!gms1.seenWith(tag).isEmpty()) {
        taken++;
        assertThat(r.statusCode()).as("%s not repeated", path).isEqualTo(502);
        assertThat(r.getHeader("content-type")).isEqualTo("application/json");
        assertThat(r.bodyAsJsonObject().getInteger("statusCode")).as("retry later").isEqualTo(1);
        assertThat(gms2.seenWith(tag)).as("%s never reached gms2", path).isEmpty();
      }
    }
    assertThat(taken).as("gms1 took some of %s", path).isEqualTo(2);
  }

  @Test
  void servers_get_one_x_forwarded_for_the_clients_own_address_whatever_the_client_sent()
      throws Exception {
    WebClient from2 = WebClient.create(vertx, new WebClientOptions().setLocalAddress("127.0.0.2"));
    HttpRequest<Buffer> spoofed =
        from2
            .post(haproxy.port(), "127.0.0.1", CHAT + "/CH1/refresh")
            .putHeader("X-Forwarded-For", "198.51.100.7");
    JsonObject echo = await(spoofed.sendBuffer(Buffer.buffer("userId=u"))).bodyAsJsonObject();
    assertThat(echo.getJsonArray("forwardedFor").getList()).containsExactly("127.0.0.2");
    JsonObject plain = post(http, CHAT + "/CH1/refresh", FORM, null, "u=1").bodyAsJsonObject();
    assertThat(plain.getJsonArray("forwardedFor").getList()).containsExactly("127.0.0.1");
  }

  @Test
  void cometd_requests_stick_to_one_server_by_cookie_and_move_when_it_goes_down() throws Exception {
    HttpResponse<Buffer> first = post(http, "/genesys/cometd/handshake", FORM, null, "[]");
    String server = first.bodyAsJsonObject().getString("server");
    assertThat(first.getHeader("Set-Cookie"))
        .isEqualTo("HACHAT_LB=" + server + "; path=/; HttpOnly");
    String other = server.equals("gms1") ? "gms2" : "gms1";
    for (String s : List.of(server, other, server, other)) {
      HttpResponse<Buffer> r = post(http, "/genesys/cometd/connect", FORM, "HACHAT_LB=" + s, "[]");
      assertThat(r.bodyAsJsonObject().getString("server")).as("the cookie decides").isEqualTo(s);
      assertThat(r.getHeader("Set-Cookie")).as("no new cookie while it holds").isNull();
    }
    StubWebApi pinned = server.equals("gms1") ? gms1 : gms2;
    assertThat(pinned.seen)
        .as("the cookie is the proxy's own")
        .allMatch(s -> s.cookie() == null || !s.cookie().contains("HACHAT_LB"));
    pinned.healthy = false;
    awaitStatus(server, "DOWN");
    assertThat(haproxy.status("webapi_cometd", server))
        .as("tracks the REST check")
        .isEqualTo("DOWN");
    HttpResponse<Buffer> moved =
        post(http, "/genesys/cometd/connect", FORM, "HACHAT_LB=" + server, "[]");
    assertThat(moved.bodyAsJsonObject().getString("server")).isEqualTo(other);
    assertThat(moved.getHeader("Set-Cookie")).startsWith("HACHAT_LB=" + other + ";");
  }

  @Test
  void a_server_failing_its_health_check_gets_nothing_and_none_left_is_a_gms_json_503()
      throws Exception {
    gms1.healthy = false;
    awaitStatus("gms1", "DOWN");
    for (int i = 0; i < 6; i++) {
      JsonObject r = post(http, CHAT + "/CH1/refresh", FORM, null, "u=" + i).bodyAsJsonObject();
      assertThat(r.getString("server")).isEqualTo("gms2");
    }
    assertThat(gms1.seen).isEmpty();
    gms2.healthy = false;
    awaitStatus("gms2", "DOWN");
    HttpResponse<Buffer> none = post(http, CHAT + "/CH1/refresh", FORM, null, "u=x");
    assertThat(none.statusCode()).isEqualTo(503);
    assertThat(none.bodyAsJsonObject().getInteger("statusCode")).as("retry later").isEqualTo(1);
    gms1.healthy = true;
    awaitStatus("gms1", "UP");
  }

  @Test
  void operator_pages_are_served_only_to_operator_networks() throws Exception {
    WebClient operator =
        WebClient.create(vertx, new WebClientOptions().setLocalAddress("127.0.0.2"));
    for (String path : List.of("/metrics", "/instances", "/dashboard.html")) {
      HttpResponse<Buffer> outside = await(http.get(haproxy.port(), "127.0.0.1", path).send());
      assertThat(outside.statusCode()).as("%s from outside", path).isEqualTo(403);
      HttpResponse<Buffer> inside = await(operator.get(haproxy.port(), "127.0.0.1", path).send());
      assertThat(inside.statusCode()).as("%s from an operator network", path).isEqualTo(200);
    }
    assertThat(await(http.get(haproxy.port(), "127.0.0.1", "/widget.js").send()).statusCode())
        .as("the widget's own files")
        .isEqualTo(200);
  }

  @Test
  void one_client_address_gets_at_most_the_configured_connections() throws Exception {
    List<Socket> open = new ArrayList<>();
    try {
      for (int i = 0; i < 9; i++) {
        Socket s = new Socket();
        s.bind(new InetSocketAddress("127.0.0.3", 0));
        s.connect(new InetSocketAddress("127.0.0.1", haproxy.port()));
        s.setSoTimeout(5000);
        open.add(s);
      }
      // HAProxy's threads may accept them in another order: count, do not pick the ninth.
      int served = 0;
      int refused = 0;
      for (Socket s : open) {
        if (answers(s)) {
          served++;
        } else {
          refused++;
        }
      }
      assertThat(served).as("served").isEqualTo(8);
      assertThat(refused).as("refused at accept").isEqualTo(1);
    } finally {
      for (Socket s : open) {
        s.close();
      }
    }
  }

  /** Sends a GET on {@code s}: true if it is answered, false if the proxy closed the socket. */
  private static boolean answers(Socket s) throws IOException {
    try {
      s.getOutputStream()
          .write("GET /widget.js HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] head = s.getInputStream().readNBytes(12);
      return new String(head, StandardCharsets.US_ASCII).equals("HTTP/1.1 200");
    } catch (SocketException reset) {
      return false;
    }
  }

  private static HttpResponse<Buffer> post(
      WebClient client, String path, String type, String cookie, String body) throws Exception {
    HttpRequest<Buffer> req =
        client.post(haproxy.port(), "127.0.0.1", path).putHeader("content-type", type);
    if (cookie != null) {
      req.putHeader("Cookie", cookie);
    }
    return await(req.sendBuffer(Buffer.buffer(body)));
  }

  private static void awaitStatus(String server, String status) throws Exception {
    awaitCondition(
        server + " " + status + " in HAProxy",
        10,
        () -> status.equals(haproxy.status("webapi", server)));
  }
}
