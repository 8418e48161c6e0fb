package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.HttpCredentials;
import dev.hachat.esp.protocol.EspFrames;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input against a secured cluster (accounts, token secret, peer tokens; Cassandra, PostgreSQL,
 * one instance, one web API server, all real processes), over real sockets: missing and wrong
 * credentials and a login flood on the ESP port, an agent outside its role and its chats, malformed
 * ESP frames, the admin port without an operator, bad CometD messages, and floods of new chats,
 * typing and updates through the web API server. Each gets the code docs/esp.md, docs/security.md,
 * docs/gms-api.md and docs/cometd.md give it, while a concurrent chat ({@link SteadyChat}) goes on
 * with its p99 within 2x of before and a complete final transcript in PostgreSQL.
 *
 * <p>Wrong credentials come from 127.0.0.2 and the login flood from 127.0.0.3: the login throttle
 * counts per address, and the web API server calls the instance (its peer token) from 127.0.0.1.
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredBadInputIT {
  static final String WRONG_CREDENTIALS_FROM = "127.0.0.2";
  static final String LOGIN_FLOOD_FROM = "127.0.0.3";

  /** Failed logins a minute per address and account: room for the wrong credentials below. */
  static final int LOGIN_FAILURES = 10;

  /** New chats at once per customer address at the instance (then one a minute). */
  static final int NEW_CHATS_BURST = 8;

  /**
   * Typing, and updateData/updateNickname together, at once per participant (then one a minute).
   */
  static final int SESSION_BURST = 5;

  /** The customer a trusted proxy names for the new-chat flood (the instance counts it). */
  static final String FLOODING_CUSTOMER = "203.0.113.50";

  static final String AGENT = Secured.AGENT;
  static final Secured SECURED = Secured.create(false);

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .secured(SECURED)
          .sharedCassandra("secured_bad_input_it")
          .contactHistory()
          .instances(1)
          .webApiServers(1)
          .instanceProperty(
              "hachat.security.login-failures-per-minute", String.valueOf(LOGIN_FAILURES))
          .instanceProperty("hachat.webapi.new-chats-per-minute", "1")
          .instanceProperty("hachat.webapi.new-chats-burst", String.valueOf(NEW_CHATS_BURST))
          .instanceProperty(
              "hachat.session.limits.sends-per-minute", String.valueOf(SteadyChat.SENDS_PER_MINUTE))
          .instanceProperty("hachat.session.limits.sends-burst", "20")
          .instanceProperty("hachat.session.limits.typing-per-minute", "1")
          .instanceProperty("hachat.session.limits.typing-burst", String.valueOf(SESSION_BURST))
          .instanceProperty("hachat.session.limits.updates-per-minute", "1")
          .instanceProperty("hachat.session.limits.updates-burst", String.valueOf(SESSION_BURST))
          .webApiProperty("gms.edge.trusted-proxies", "127.0.0.1")
          .build();

  /** A chat whose typing and updates buckets the floods spent. */
  record Flooded(GmsCustomers customers, GmsCustomers.Chat chat) {}

  Vertx vertx;
  String agentToken;
  String expiredToken;
  String otherKeyToken;
  Flooded flooded;
  int rounds;
  int espPort;
  int adminPort;
  int gmsPort;

  @BeforeAll
  void start() throws Exception {
    vertx = cluster.vertx();
    espPort = cluster.instance(0).espPort();
    adminPort = cluster.instance(0).adminPort();
    gmsPort = cluster.webApi(0).port();
    long now = System.currentTimeMillis() / 1000;
    agentToken = Secured.token(vertx, Secured.SECRET, AGENT, "agent", now + 3600);
    expiredToken = Secured.token(vertx, Secured.SECRET, AGENT, "agent", now - 3600);
    otherKeyToken =
        Secured.token(vertx, "another-secret-0123456789abcdefghij", AGENT, "agent", now + 3600);
    // class loading and JIT of the test's own clients (Jetty, CometD) before anything is timed
    CometdCustomer.connect(cometd().url(), CometdCustomer.Transport.LONG_POLLING).close();
  }

  @Test
  void bad_input_on_a_secured_cluster_gets_its_code_while_a_concurrent_chat_goes_on()
      throws Exception {
    try (SteadyChat steady = new SteadyChat(gmsPort, "SECURED_BADINPUT")) {
      steady.measureBefore();
      steady.whileAbusing(
          () -> {
            steady.mark("esp-credentials");
            espCredentialsAreRefused();
            steady.mark("login-flood");
            aLoginFloodIsRateLimited();
            steady.mark("esp-frames");
            badEspFramesGetTheirCodes(steady.chat.chatId);
            steady.mark("admin");
            adminNeedsAnOperator(steady.chat.chatId);
            steady.mark("cometd");
            cometd().badMessagesGetTheirCodes();
            steady.mark("session-floods");
            floodsOnOneChatAreRateLimited();
            steady.mark("new-chat-flood");
            aNewChatFloodIsRateLimitedAtTheInstance();
            steady.mark("again");
          },
          () -> abuseAgain(steady.chat.chatId));
      steady.mark("done rounds=" + rounds);
      steady.assertUnharmed();
      steady.assertFinalTranscript(cluster.postgres());
    }
  }

  /**
   * Abuse whose answers stay the same, repeated until the steady chat has been timed {@link
   * SteadyChat#SAMPLES} times: bad frames on a fresh ESP connection (logged in with a token, no
   * password check), the admin port without a credential, a bad CometD body, and one more typing
   * and new chat past their spent buckets (a token a minute comes back: at most one is taken).
   */
  void abuseAgain(String steadyChatId) throws Exception {
    rounds++;
    try (EspSocket esp = EspSocket.connect(vertx, espPort, "127.0.0.1")) {
      assertThat(tokenLogin(esp, agentToken)).isEqualTo("ok");
      assertThat(EspSocket.code(esp.raw("not json"))).isEqualTo("BAD_REQUEST");
      assertThat(esp.codeOf(esp.request("fly"))).isEqualTo("NOT_FOUND");
      assertThat(esp.codeOf(send(esp, steadyChatId, "hijack"))).isEqualTo("FORBIDDEN");
    }
    assertThat(admin(cluster.http(), "POST", "/admin/enable", null).statusCode()).isEqualTo(401);
    assertThat(cometd().post("not json").statusCode()).isEqualTo(400);
    GmsCustomers c = flooded.customers();
    assertThat(flood(3, i -> c.attemptOp(flooded.chat(), "startTyping", Map.of()))).isLessThan(2);
    assertThat(flood(3, i -> c.attemptChat(gmsPort, "Many", FLOODING_CUSTOMER))).isLessThan(2);
  }

  // ---- ESP -----------------------------------------------------------------------------------

  void espCredentialsAreRefused() throws Exception {
    try (EspSocket esp = EspSocket.connect(vertx, espPort, WRONG_CREDENTIALS_FROM)) {
      assertThat(esp.codeOf(esp.request("listWaiting"))).as("no login").isEqualTo("UNAUTHORIZED");
      assertThat(esp.codeOf(esp.request("login").put("agentId", AGENT).put("nickname", "A")))
          .as("no password, no token")
          .isEqualTo("UNAUTHORIZED");
      assertThat(esp.login(AGENT, "not-the-password"))
          .as("wrong password")
          .isEqualTo("UNAUTHORIZED");
      assertThat(tokenLogin(esp, "not-a-token")).as("wrong token").isEqualTo("UNAUTHORIZED");
      assertThat(tokenLogin(esp, expiredToken)).as("expired token").isEqualTo("UNAUTHORIZED");
      assertThat(tokenLogin(esp, otherKeyToken))
          .as("token of another key")
          .isEqualTo("UNAUTHORIZED");
      // in date and with the cluster's key the same token is taken: expiry and key were at fault
      assertThat(tokenLogin(esp, agentToken)).as("a valid token").isEqualTo("ok");
    }
  }

  private static String tokenLogin(EspSocket esp, String token) throws Exception {
    return esp.codeOf(
        esp.request("login").put("agentId", AGENT).put("nickname", "A").put("token", token));
  }

  /** Wrong passwords from one address until the throttle answers RATE_LIMITED. */
  void aLoginFloodIsRateLimited() throws Exception {
    List<String> codes = new ArrayList<>();
    while (!codes.contains("RATE_LIMITED") && codes.size() < 3 * LOGIN_FAILURES) {
      // a connection per attempt: each has only security.login-timeout to log in
      try (EspSocket esp = EspSocket.connect(vertx, espPort, LOGIN_FLOOD_FROM)) {
        codes.add(esp.login("intruder", "guess-" + codes.size()));
      }
    }
    System.out.printf("SECURED_BADINPUT login_flood_attempts=%d%n", codes.size());
    assertThat(codes).as("login flood").endsWith("RATE_LIMITED");
    assertThat(codes.subList(0, codes.size() - 1)).containsOnly("UNAUTHORIZED");
    assertThat(codes.size()).as("attempts").isGreaterThan(LOGIN_FAILURES);
  }

  /**
   * An agent (logged in from 127.0.0.1, which the floods above did not throttle) outside its role
   * and its chats, then malformed and huge frames on its connection.
   */
  void badEspFramesGetTheirCodes(String notJoined) throws Exception {
    GmsCustomers.Chat chat = new GmsCustomers(vertx).requestChat(gmsPort, "Framed");
    try (EspSocket esp = EspSocket.connect(vertx, espPort, "127.0.0.1")) {
      assertThat(esp.login(AGENT, Secured.password(AGENT))).isEqualTo("ok");
      assertThat(esp.codeOf(esp.request("observe").put("chatId", notJoined)))
          .as("observe needs supervisor")
          .isEqualTo("FORBIDDEN");
      assertThat(esp.codeOf(esp.request("interactionStopped").put("chatId", notJoined)))
          .as("interactionStopped needs workflow")
          .isEqualTo("FORBIDDEN");
      assertThat(esp.codeOf(send(esp, notJoined, "hijack")))
          .as("send into a chat not joined")
          .isEqualTo("FORBIDDEN");
      assertThat(esp.codeOf(esp.request("close").put("chatId", notJoined)))
          .as("close a chat not joined")
          .isEqualTo("FORBIDDEN");

      JsonObject notJson = esp.raw("not json");
      assertThat(EspSocket.code(notJson)).as("not JSON").isEqualTo("BAD_REQUEST");
      assertThat(notJson.getValue("id")).isNull();
      JsonObject noId = esp.raw("{\"type\":\"request\",\"op\":\"ping\"}");
      assertThat(EspSocket.code(noId)).as("no id").isEqualTo("BAD_REQUEST");
      assertThat(noId.getValue("id")).isNull();
      assertThat(esp.codeOf(esp.request("fly"))).as("unknown op").isEqualTo("NOT_FOUND");
      assertThat(esp.codeOf(esp.request("accept"))).as("no chatId").isEqualTo("BAD_REQUEST");
      assertThat(esp.codeOf(esp.request("accept").put("chatId", chat.chatId))).isEqualTo("ok");
      assertThat(esp.codeOf(esp.request("typing").put("chatId", chat.chatId).put("typing", "yes")))
          .as("typing not a boolean")
          .isEqualTo("BAD_REQUEST");
      assertThat(esp.codeOf(send(esp, chat.chatId, "a".repeat(200_000))))
          .as("a 200 KB text in 64 KiB frames")
          .isEqualTo("MESSAGE_TOO_LARGE");
      assertThat(esp.codeOf(esp.request("ping"))).as("the connection goes on").isEqualTo("ok");
      assertThat(esp.sendAndAwaitClose(send(esp, chat.chatId, "a".repeat(300_000)).encode()))
          .as("a message over 256 KiB")
          .isEqualTo(EspFrames.CLOSE_MESSAGE_TOO_BIG);
    }
    try (EspSocket esp = EspSocket.connect(vertx, espPort, "127.0.0.1", 1 << 20)) {
      assertThat(
              esp.sendAndAwaitClose(esp.request("ping").put("pad", "a".repeat(100_000)).encode()))
          .as("one frame over 64 KiB: dropped, no close frame")
          .isEqualTo((short) 1006);
    }
  }

  private static JsonObject send(EspSocket esp, String chatId, String text) {
    return esp.request("send").put("chatId", chatId).put("clientMessageId", "m").put("text", text);
  }

  // ---- admin ---------------------------------------------------------------------------------

  void adminNeedsAnOperator(String chatId) throws Exception {
    WebClient admin =
        WebClient.create(vertx, new WebClientOptions().setLocalAddress(WRONG_CREDENTIALS_FROM));
    try {
      String[][] calls = {
        {"POST", "/admin/enable", HttpCredentials.basic(Secured.OPERATOR, "wrong")},
        {"GET", "/history/" + chatId, "Bearer not-a-token"}
      };
      for (String[] call : calls) {
        HttpResponse<Buffer> none = admin(admin, call[0], call[1], null);
        assertThat(none.statusCode()).as("no credential: %s", call[1]).isEqualTo(401);
        assertThat(none.getHeader("WWW-Authenticate")).isEqualTo("Basic realm=\"hachat\"");
        assertThat(errorCode(none)).isEqualTo("UNAUTHORIZED");
        HttpResponse<Buffer> wrong = admin(admin, call[0], call[1], call[2]);
        assertThat(wrong.statusCode()).as("wrong credential: %s", call[1]).isEqualTo(401);
        assertThat(errorCode(wrong)).isEqualTo("UNAUTHORIZED");
        HttpResponse<Buffer> agent =
            admin(admin, call[0], call[1], HttpCredentials.basic(AGENT, Secured.password(AGENT)));
        assertThat(agent.statusCode()).as("an agent: %s", call[1]).isEqualTo(403);
        assertThat(errorCode(agent)).isEqualTo("FORBIDDEN");
      }
    } finally {
      admin.close();
    }
  }

  private HttpResponse<Buffer> admin(WebClient c, String method, String path, String auth)
      throws Exception {
    var req =
        method.equals("POST")
            ? c.post(adminPort, "127.0.0.1", path)
            : c.get(adminPort, "127.0.0.1", path);
    if (auth != null) {
      req.putHeader("Authorization", auth);
    }
    return await(req.send());
  }

  private static String errorCode(HttpResponse<Buffer> r) {
    return r.bodyAsJsonObject().getJsonObject("error").getString("code");
  }

  // ---- floods through the web API server -----------------------------------------------------

  /** Typing, updateData and updateNickname, each beyond the burst, on one chat. */
  void floodsOnOneChatAreRateLimited() throws Exception {
    GmsCustomers customers = new GmsCustomers(vertx);
    GmsCustomers.Chat chat = customers.requestChat(gmsPort, "Flood");
    flooded = new Flooded(customers, chat);
    int typed = flood(SESSION_BURST + 5, i -> customers.attemptOp(chat, "startTyping", Map.of()));
    int updated =
        flood(
            SESSION_BURST + 5,
            i -> customers.attemptOp(chat, "updateData", Map.of("userData[k" + i + "]", "v")));
    // updateNickname shares the bucket of updates, which updateData emptied
    int renamed =
        flood(3, i -> customers.attemptOp(chat, "updateNickname", Map.of("nickname", "F" + i)));
    assertThat(typed).as("typing taken").isEqualTo(SESSION_BURST);
    assertThat(updated).as("updates taken").isEqualTo(SESSION_BURST);
    assertThat(renamed).as("nickname updates taken after them").isZero();
    // nothing a refused request carried is in the transcript
    List<String> types =
        customers.transcript(chat).stream()
            .map(JsonObject.class::cast)
            .map(m -> m.getString("type"))
            .toList();
    assertThat(types.stream().filter("TypingStarted"::equals).count()).isEqualTo(typed);
    assertThat(types.stream().filter("UserDataUpdated"::equals).count()).isEqualTo(updated);
    assertThat(types.stream().filter("NicknameUpdated"::equals).count()).isEqualTo(renamed);
  }

  /** New chats for one customer (named by a trusted proxy) beyond the instance's burst. */
  void aNewChatFloodIsRateLimitedAtTheInstance() throws Exception {
    GmsCustomers customers = new GmsCustomers(vertx);
    long before = cluster.kpi(cluster.instance(0)).getLong("limit_new_chats");
    int opened =
        flood(NEW_CHATS_BURST + 4, i -> customers.attemptChat(gmsPort, "Many", FLOODING_CUSTOMER));
    assertThat(opened).as("new chats taken").isEqualTo(NEW_CHATS_BURST);
    long refused = cluster.kpi(cluster.instance(0)).getLong("limit_new_chats") - before;
    assertThat(refused).as("refused by the instance, each once").isEqualTo(4);
  }

  interface Attempt {
    HttpResponse<Buffer> run(int i) throws Exception;
  }

  /**
   * {@code n} attempts one after another: each succeeds (statusCode 0) until the burst is spent,
   * then each is 429 RATE_LIMITED (GMS error 204, statusCode 1: retry later); the buckets refill
   * one token a minute, so none comes back within a flood. Returns how many succeeded.
   */
  private static int flood(int n, Attempt attempt) throws Exception {
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpResponse<Buffer> r = attempt.run(i);
      JsonObject b = r.bodyAsJsonObject();
      if (r.statusCode() == 200) {
        assertThat(b.getInteger("statusCode")).isZero();
      } else {
        assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(429);
        assertThat(b.getInteger("statusCode")).isEqualTo(1);
        JsonObject error = b.getJsonArray("errors").getJsonObject(0);
        assertThat(error.getInteger("code")).isEqualTo(204);
        assertThat(error.getString("name")).isEqualTo("RATE_LIMITED");
      }
      statuses.add(r.statusCode());
    }
    assertThat(statuses).as("flood").contains(429);
    assertThat(statuses.indexOf(429))
        .as("refused only past the burst")
        .isEqualTo(statuses.lastIndexOf(200) + 1);
    return (int) statuses.stream().filter(s -> s == 200).count();
  }

  private CometdBadInput cometd() {
    return new CometdBadInput(vertx, cluster.http(), gmsPort);
  }
}
