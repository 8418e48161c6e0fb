package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bad input over real sockets against real processes (Cassandra, PostgreSQL, one instance, one web
 * API server): each abuse gets its documented 4xx or close, while a concurrent chat ({@link
 * SteadyChat}) keeps working with its send p99 within 2x of before, and its transcript and final
 * transcript are complete.
 */
@Tag("system")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputIT {
  static final int IDLE_TIMEOUT_S = 3;
  static final int CONN_CAP = 256;
  static final int SILENT_SOCKETS = 1000;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("bad_input_it")
          .contactHistory()
          .instances(1)
          .webApiServers(1)
          .instanceProperty("hachat.webapi.idle-timeout", String.valueOf(IDLE_TIMEOUT_S))
          .instanceProperty("hachat.webapi.max-connections-per-address", String.valueOf(CONN_CAP))
          .instanceProperty(
              "hachat.session.limits.sends-per-minute", String.valueOf(SteadyChat.SENDS_PER_MINUTE))
          .instanceProperty("hachat.session.limits.sends-burst", "20")
          .build();

  int port;
  int gmsPort;

  @BeforeAll
  void start() throws Exception {
    port = cluster.instance(0).webapiPort();
    gmsPort = cluster.webApi(0).port();
  }

  // ---- raw HTTP over a socket -------------------------------------------------------------

  /** Sends {@code body} as one request on a fresh socket; returns the status code. */
  static int post(int port, String path, String contentType, byte[] body) throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(20_000);
      OutputStream out = s.getOutputStream();
      String head =
          "POST "
              + path
              + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nContent-Type: "
              + contentType
              + "\r\nContent-Length: "
              + body.length
              + "\r\n\r\n";
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      return status(s.getInputStream());
    }
  }

  static int status(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      line.append((char) c);
    }
    String[] parts = line.toString().split(" ");
    return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
  }

  static int json(int port, String path, String json) throws Exception {
    return post(port, path, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  static int form(int port, String path, String form) throws Exception {
    return post(
        port, path, "application/x-www-form-urlencoded", form.getBytes(StandardCharsets.US_ASCII));
  }

  // ---- the abuse ------------------------------------------------------------------------------

  /** Opens a chat on the instance port; returns its reply (chatId, participantId, secureKey). */
  JsonObject instanceChat() throws Exception {
    return await(
            cluster
                .http()
                .post(port, "127.0.0.1", "/v1/chats")
                .sendJsonObject(new JsonObject().put("nickname", "Abuser")))
        .bodyAsJsonObject();
  }

  static String creds(JsonObject chat) {
    return "\"participantId\":\""
        + chat.getString("participantId")
        + "\",\"secureKey\":\""
        + chat.getString("secureKey")
        + "\"";
  }

  void badInputGetsItsCode() throws Exception {
    JsonObject c = instanceChat();
    String send = "/v1/chats/" + c.getString("chatId") + "/send";
    String who = creds(c);
    assertThat(json(port, "/v1/chats", "{\"nickname\":")).as("malformed JSON").isEqualTo(400);
    assertThat(json(port, "/v1/chats", "[]")).as("[] body").isEqualTo(400);
    assertThat(json(port, "/v1/chats", "[".repeat(10_000) + "]".repeat(10_000)))
        .as("10,000 nested arrays")
        .isEqualTo(400);
    assertThat(json(port, send, "{" + who + ",\"clientMessageId\":\"x1\",\"text\":\"a\\ud800b\"}"))
        .as("lone surrogate")
        .isEqualTo(400);
    assertThat(json(port, send, "{" + who + ",\"clientMessageId\":\"x2\",\"text\":\"a\\u0000b\"}"))
        .as("NUL")
        .isEqualTo(400);
    byte[] big =
        ("{\"nickname\":\"" + "a".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    assertThat(post(port, "/v1/chats", "application/json", big)).as("oversize").isEqualTo(413);
    String wrong =
        "\"participantId\":\"" + c.getString("participantId") + "\",\"secureKey\":\"nope\"";
    assertThat(json(port, send, "{" + wrong + ",\"clientMessageId\":\"x3\",\"text\":\"hi\"}"))
        .as("wrong secureKey")
        .isEqualTo(403);
    assertThat(json(port, send, "{\"clientMessageId\":\"x4\",\"text\":\"hi\"}"))
        .as("missing credentials")
        .isEqualTo(400);
    // the web API server: malformed form, 300 userData fields, missing credentials
    String service = GmsCustomers.SERVICE;
    assertThat(form(gmsPort, service, "nickname=%zz")).as("malformed form").isEqualTo(400);
    StringBuilder many = new StringBuilder("nickname=Ann");
    for (int i = 0; i < 300; i++) {
      many.append("&userData%5Bk").append(i).append("%5D=v");
    }
    assertThat(form(gmsPort, service, many.toString())).as("300 userData").isEqualTo(400);
    assertThat(form(gmsPort, service + "/" + c.getString("chatId") + "/send", "message=hi"))
        .as("GMS send without credentials")
        .isBetween(400, 499);
    // a flood of sends beyond the rate: some are 429, none is a 5xx
    List<CompletableFuture<Integer>> flood = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (int i = 0; i < 200; i++) {
        String body = "{" + who + ",\"clientMessageId\":\"f" + i + "\",\"text\":\"flood\"}";
        flood.add(CompletableFuture.supplyAsync(() -> quietly(() -> json(port, send, body)), pool));
      }
      List<Integer> codes = flood.stream().map(CompletableFuture::join).toList();
      assertThat(codes).as("flood").contains(429).allMatch(s -> s == 200 || s == 429);
    } finally {
      pool.shutdownNow();
    }
  }

  interface Call {
    int run() throws Exception;
  }

  static int quietly(Call c) {
    try {
      return c.run();
    } catch (Exception e) {
      return -1;
    }
  }

  /** A body sent one byte a second, then silence: the idle timeout closes it. */
  void slowBodyIsClosed() throws Exception {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout((IDLE_TIMEOUT_S + 10) * 1000);
      OutputStream out = s.getOutputStream();
      out.write(
          ("POST /v1/chats HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                  + "Content-Length: 1000\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      for (int i = 0; i < 3; i++) {
        out.write('{');
        out.flush();
        TimeUnit.SECONDS.sleep(1); // the abuse itself: one byte per second, not synchronisation
      }
      long t0 = System.nanoTime();
      int r = s.getInputStream().read();
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertThat(r).as("closed, nothing answered").isEqualTo(-1);
      assertThat(waited).isLessThan((IDLE_TIMEOUT_S + 5) * 1000L);
    }
  }

  /**
   * 1,000 sockets that say nothing: those above the cap close at once, the rest by idle timeout.
   */
  void silentSocketsAreClosed() throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < SILENT_SOCKETS; i++) {
        // from another loopback address, so the web API server's own connections keep their room
        Socket s = new Socket();
        s.bind(new java.net.InetSocketAddress("127.0.0.2", 0));
        s.connect(new java.net.InetSocketAddress("127.0.0.1", port));
        s.setSoTimeout((IDLE_TIMEOUT_S + 15) * 1000);
        sockets.add(s);
      }
      long t0 = System.nanoTime();
      int closed = 0;
      for (Socket s : sockets) {
        if (quietly(() -> s.getInputStream().read()) == -1) {
          closed++;
        }
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf(
          "BADINPUT silent_sockets=%d closed=%d within_ms=%d%n", SILENT_SOCKETS, closed, ms);
      assertThat(closed).isEqualTo(SILENT_SOCKETS);
      assertThat(ms).isLessThan((IDLE_TIMEOUT_S + 15) * 1000L);
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
    long refused = cluster.kpi(cluster.instance(0)).getLong("limit_connections_refused");
    System.out.printf("BADINPUT connections_refused_at_accept=%d%n", refused);
    assertThat(refused)
        .as("sockets past the per-address cap")
        .isGreaterThanOrEqualTo(SILENT_SOCKETS - CONN_CAP);
  }

  @Test
  void bad_input_gets_its_code_while_a_concurrent_chat_goes_on() throws Exception {
    try (SteadyChat steady = new SteadyChat(gmsPort, "BADINPUT")) {
      steady.measureBefore();
      steady.whileAbusing(
          () -> {
            badInputGetsItsCode();
            silentSocketsAreClosed();
            slowBodyIsClosed();
          });
      steady.assertUnharmed();
      steady.assertFinalTranscript(cluster.postgres());
    }
  }
}
