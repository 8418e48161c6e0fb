package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.auth.Authenticator;
import dev.hachat.common.auth.Principal;
import dev.hachat.common.auth.Role;
import dev.hachat.common.auth.SecurityOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code scripts/hachatctl} as an operator runs it, each command a separate OS process, against
 * real processes (Cassandra, 2 instances, 1 web API server, PostgreSQL as the contact history) with
 * security on: an accounts file with an operator, peer tokens, TLS on every port. Status as a table
 * and as JSON, disable (the instance's /health says so) and enable, drain --wait, evacuate, the
 * history of a closed chat, and the exit codes of a wrong password (4) and an unreachable admin
 * port (3). The tests run in order: each leaves every instance enabled.
 */
@Tag("system")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HachatctlIT {
  static final Secured SECURED = Secured.create(true);

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("hachatctl_it")
          .contactHistory()
          .instances(2)
          .webApiServers(1)
          .secured(SECURED)
          .build();

  /** One run of the command: exit code, stdout, stderr. */
  record Run(int code, String out, String err) {
    JsonObject json() {
      return new JsonObject(out.strip());
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- out\n" + out + "--- err\n" + err;
    }
  }

  /** Runs {@code scripts/hachatctl} with exactly {@code args} (no options of this test's own). */
  static Run raw(List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add(InstanceProcess.home().resolve("scripts/hachatctl").toString());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("HACHATCTL_"));
    Process p = pb.start();
    CompletableFuture<String> out = read(p.getInputStream());
    CompletableFuture<String> err = read(p.getErrorStream());
    if (!p.waitFor(3, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("hachatctl " + args + " did not end within 3 minutes");
    }
    Run r = new Run(p.exitValue(), out.get(10, TimeUnit.SECONDS), err.get(10, TimeUnit.SECONDS));
    System.out.println("hachatctl " + String.join(" ", args) + "\n" + r);
    return r;
  }

  private static CompletableFuture<String> read(java.io.InputStream in) {
    return CompletableFuture.supplyAsync(
        () -> {
          try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
          } catch (java.io.IOException e) {
            return "";
          }
        });
  }

  /** As the operator: cs1's admin port, the test CA, op-1 with its password file. */
  static Run ctl(String... args) throws Exception {
    return raw(withPassword(SECURED.operatorPasswordFile(), args));
  }

  /** cs1's admin port, the test CA, op-1 with the password in {@code file}, then {@code args}. */
  static List<String> withPassword(Path file, String... args) {
    List<String> all = new ArrayList<>();
    all.addAll(List.of("--admin", admin(0), "--tls-trust-file", SECURED.ca().toString()));
    all.addAll(List.of("--user", Secured.OPERATOR, "--password-file", file.toString()));
    all.addAll(List.of(args));
    return all;
  }

  static String admin(int i) {
    return "127.0.0.1:" + cluster.instance(i).adminPort();
  }

  static JsonObject health(int i) throws Exception {
    return await(cluster.http().get(cluster.instance(i).adminPort(), "127.0.0.1", "/health").send())
        .bodyAsJsonObject();
  }

  static JsonObject row(JsonObject status, String id) {
    return status.getJsonArray("instances").stream()
        .map(JsonObject.class::cast)
        .filter(r -> id.equals(r.getString("instanceId")))
        .findFirst()
        .orElseThrow();
  }

  /** A new chat through the web API server that lands on {@code instanceId}. */
  static GmsCustomers.Chat chatOn(GmsCustomers customers, String instanceId) throws Exception {
    for (int i = 0; i < 30; i++) {
      GmsCustomers.Chat c = customers.requestChat(cluster.webApi(0).port(), "Ann" + i);
      if (instanceId.equals(c.alias)) {
        return c;
      }
    }
    throw new AssertionError("no new chat landed on " + instanceId);
  }

  @Test
  @Order(1)
  void status_shows_every_instance_as_a_table_and_as_json() throws Exception {
    Run table = ctl("status");
    assertThat(table.code()).as("%s", table).isZero();
    assertThat(table.out()).startsWith("INSTANCE  STATE").contains("seen by cs1");
    for (int i = 0; i < 2; i++) {
      assertThat(table.out()).containsPattern("cs" + (i + 1) + " +normal +yes +yes .*AVAILABLE");
      assertThat(table.out()).contains(admin(i));
    }
    Run json = ctl("status", "--json");
    assertThat(json.code()).as("%s", json).isZero();
    JsonObject s = json.json();
    assertThat(s.getJsonArray("instances")).hasSize(2);
    for (int i = 0; i < 2; i++) {
      JsonObject r = row(s, "cs" + (i + 1));
      assertThat(r.getString("state")).isEqualTo("normal");
      assertThat(r.getBoolean("alive")).isTrue();
      assertThat(r.getBoolean("acceptingChats")).isTrue();
      assertThat(r.getString("store")).isEqualTo("AVAILABLE");
      assertThat(r.getString("admin")).isEqualTo(admin(i));
      assertThat(r.getJsonObject("health").getLong("pid")).isEqualTo(cluster.instance(i).pid());
    }
    Run web = ctl("status", "--webapi", "127.0.0.1:" + cluster.webApi(0).port());
    assertThat(web.code()).as("%s", web).isZero();
    assertThat(web.out()).contains("seen by gms1").contains("web API server gms1: normal");
  }

  @Test
  @Order(2)
  void disable_shows_in_health_and_status_then_enable_by_address_with_a_token() throws Exception {
    Run d = ctl("disable", "cs2");
    assertThat(d.code()).as("%s", d).isZero();
    assertThat(d.out()).startsWith("cs2: disabled, ");
    JsonObject h = health(1);
    assertThat(h.getString("state")).isEqualTo("disabled");
    assertThat(h.getBoolean("acceptingChats")).isFalse();
    JsonObject cs2 = row(ctl("status", "--json").json(), "cs2");
    assertThat(cs2.getString("state")).isEqualTo("disabled");
    assertThat(cs2.getBoolean("acceptingChats")).isFalse();

    Path token = Files.createTempFile("operator", ".token");
    Files.writeString(token, operatorToken() + "\n");
    Run e =
        raw(
            List.of(
                "--tls-trust-file",
                SECURED.ca().toString(),
                "--token-file",
                token.toString(),
                "--json",
                "enable",
                admin(1)));
    assertThat(e.code()).as("%s", e).isZero();
    assertThat(e.json().getString("state")).isEqualTo("normal");
    assertThat(health(1).getBoolean("acceptingChats")).isTrue();
  }

  @Test
  @Order(3)
  void drain_wait_returns_once_the_deadline_evacuated_the_last_chat() throws Exception {
    GmsCustomers customers = new GmsCustomers(cluster.http());
    GmsCustomers.Chat chat = chatOn(customers, "cs2");
    customers.send(chat, "m1", "before the drain");
    long t0 = System.nanoTime();
    Run r = ctl("drain", "cs2", "--deadline", "2s", "--wait");
    long tookMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .contains("cs2: draining")
        .contains("cs2: disabled, 0 chats, drain done")
        .containsPattern("evacuated at the deadline: evacuated [1-9]\\d* chats");
    assertThat(tookMs).as("it waited for the deadline").isGreaterThanOrEqualTo(2000);
    customers.send(chat, "m2", "after the drain");
    assertThat(chat.alias).isEqualTo("cs1");
    assertThat(ctl("enable", "cs2").code()).isZero();
    System.out.printf("HACHATCTL DRAIN RESULT deadline_ms=2000 drain_wait_ms=%d%n", tookMs);
  }

  @Test
  @Order(4)
  void evacuate_hands_every_chat_to_the_other_instance() throws Exception {
    GmsCustomers customers = new GmsCustomers(cluster.http());
    GmsCustomers.Chat chat = chatOn(customers, "cs1");
    customers.send(chat, "m1", "before the evacuation");
    Run r = ctl("--json", "evacuate", "cs1");
    assertThat(r.code()).as("%s", r).isZero();
    JsonObject answer = r.json();
    assertThat(answer.getInteger("sessions")).isZero();
    assertThat(answer.getJsonObject("evacuation").getInteger("evacuated")).isPositive();
    assertThat(answer.getJsonObject("evacuation").getInteger("failed")).isZero();
    customers.send(chat, "m2", "after the evacuation");
    assertThat(chat.alias).isEqualTo("cs2");
    customers.assertTranscript(chat, List.of("before the evacuation", "after the evacuation"));
    assertThat(ctl("enable", "cs1").code()).isZero();
  }

  @Test
  @Order(5)
  void history_prints_a_closed_chats_final_transcript() throws Exception {
    GmsCustomers customers = new GmsCustomers(cluster.http());
    GmsCustomers.Chat chat = customers.requestChat(cluster.webApi(0).port(), "Ann");
    customers.send(chat, "m1", "hello history");
    customers.op(chat, "disconnect", Map.of());
    FailoverClients.awaitCondition(
        "the final transcript of " + chat.chatId + " is in the contact history",
        60,
        () ->
            await(
                        cluster
                            .http()
                            .get(
                                cluster.instance(0).adminPort(),
                                "127.0.0.1",
                                "/history/" + chat.chatId)
                            .putHeader("Authorization", SECURED.operatorAuthorization())
                            .send())
                    .statusCode()
                == 200);
    Run text = ctl("history", chat.chatId);
    assertThat(text.code()).as("%s", text).isZero();
    assertThat(text.out())
        .startsWith("chat " + chat.chatId + ": closed ")
        .contains("participants: Ann (Client")
        .containsPattern("Ann +Message +hello history");
    Run json = ctl("history", chat.chatId, "--json");
    assertThat(json.code()).as("%s", json).isZero();
    JsonArray entries = json.json().getJsonArray("entries");
    assertThat(entries.stream().map(JsonObject.class::cast).map(e -> e.getString("text")))
        .contains("hello history");
    Run none = ctl("history", "no-such-chat");
    assertThat(none.code()).as("%s", none).isEqualTo(1);
    assertThat(none.err()).contains("404 CHAT_NOT_FOUND");
  }

  @Test
  @Order(6)
  void a_wrong_or_missing_credential_exits_4() throws Exception {
    Run r = raw(withPassword(SECURED.wrongPasswordFile(), "disable", "cs2"));
    assertThat(r.code()).as("%s", r).isEqualTo(4);
    assertThat(r.err()).contains("401 UNAUTHORIZED").doesNotContain("not-the-password");
    Run none =
        raw(
            List.of(
                "--admin",
                admin(0),
                "--tls-trust-file",
                SECURED.ca().toString(),
                "disable",
                "cs2"));
    assertThat(none.code()).as("%s", none).isEqualTo(4);
    assertThat(health(1).getString("state")).as("nothing changed").isEqualTo("normal");
  }

  @Test
  @Order(7)
  void an_unreachable_admin_port_or_plain_http_to_tls_exits_3() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Run r = raw(List.of("--admin", "127.0.0.1:" + closed, "--timeout", "5s", "status"));
    assertThat(r.code()).as("%s", r).isEqualTo(3);
    assertThat(r.err()).contains("connection refused");
    Run plain = raw(List.of("--admin", admin(0), "--timeout", "5s", "status"));
    assertThat(plain.code()).as("plain HTTP to a TLS port: %s", plain).isEqualTo(3);
  }

  /** An operator token as any process of the cluster would mint it (the same secret). */
  private static String operatorToken() throws Exception {
    Authenticator a =
        await(
            Authenticator.create(
                cluster.vertx(), new SecurityOptions().setTokenSecrets(List.of(Secured.SECRET))));
    try {
      return a.issueToken(Principal.of(Secured.OPERATOR, Role.OPERATOR));
    } finally {
      a.close();
    }
  }
}
