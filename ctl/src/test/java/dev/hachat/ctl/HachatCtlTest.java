package dev.hachat.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands against two fake admin ports (cs1 answering /cluster, cs2 the target): what is
 * called, with which credential, what is printed, and each exit code.
 */
class HachatCtlTest {
  @TempDir Path dir;
  FakeAdmin cs1;
  FakeAdmin cs2;
  Path password;

  @BeforeEach
  void start() throws Exception {
    cs1 = new FakeAdmin();
    cs2 = new FakeAdmin();
    password = Files.writeString(dir.resolve("pw"), "pw-op-1\n");
    String cluster =
        "{'instanceId':'cs1','leaseValid':true,'instances':["
            + member("cs1", cs1, true)
            + ","
            + member("cs2", cs2, false)
            + "]}";
    cs1.on("GET /cluster", 200, q(cluster));
    cs2.on("GET /cluster", 200, q(cluster));
    cs1.on(
        "GET /health",
        200,
        q(
            "{'status':'UP','state':'normal','acceptingChats':true,"
                + "'sessions':4,'store':'AVAILABLE','pid':1}"));
    cs2.on(
        "GET /health",
        200,
        q(
            "{'status':'UP','state':'normal','acceptingChats':true,"
                + "'sessions':2,'store':'AVAILABLE','pid':2}"));
  }

  @AfterEach
  void stop() {
    cs1.close();
    cs2.close();
  }

  static String member(String id, FakeAdmin a, boolean self) {
    return "{'instanceId':'"
        + id
        + "','self':"
        + self
        + ",'alive':true,'state':'normal',"
        + "'sessions':1,'limit':100,'webapi':'127.0.0.1:1','esp':'127.0.0.1:2','admin':'"
        + a.address()
        + "','heartbeat':5,'startedAt':1,'version':'0.1.0'}";
  }

  static String q(String json) {
    return json.replace('\'', '"');
  }

  Run ctl(String... args) {
    String[] all = new String[args.length + 2];
    all[0] = "--admin";
    all[1] = cs1.address();
    System.arraycopy(args, 0, all, 2, args.length);
    return Run.of(all);
  }

  static String basic(String user, String pw) {
    return "Basic "
        + Base64.getEncoder().encodeToString((user + ":" + pw).getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void status_prints_the_table_and_the_same_rows_as_json() throws Exception {
    Run table = ctl("status");
    assertThat(table.code()).as("%s", table).isZero();
    assertThat(table.out())
        .startsWith("INSTANCE  STATE")
        .contains("cs1")
        .contains("cs2")
        .contains("4/100")
        .contains("2/100")
        .contains("seen by cs1");
    // global options work after the command too
    Run json = Run.of("status", "--json", "--admin", cs1.address());
    assertThat(json.code()).as("%s", json).isZero();
    JsonNode r = StatusReportTest.json(json.out());
    assertThat(r.path("instances")).hasSize(2);
    assertThat(r.path("instances").get(1).path("sessions").asLong()).isEqualTo(2);
    assertThat(json.out().strip()).doesNotContain("\n");
    assertThat(cs1.calls()).allMatch(c -> c.authorization() == null); // open endpoints only
  }

  @Test
  void disable_resolves_the_id_and_posts_with_the_operator_credential() throws Exception {
    cs2.on("POST /admin/disable", 200, q("{'instanceId':'cs2','state':'disabled','sessions':2}"));
    Run r = ctl("disable", "cs2", "--user", "op-1", "--password-file", password.toString());
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out()).isEqualTo("cs2: disabled, 2 chats\n");
    assertThat(cs2.calls())
        .anySatisfy(
            c -> {
              assertThat(c.uri()).isEqualTo("/admin/disable");
              assertThat(c.authorization()).isEqualTo(basic("op-1", "pw-op-1"));
            });
    // by host:port, with a token from the environment, as JSON
    Path token = Files.writeString(dir.resolve("t"), "tok\n");
    cs2.on("POST /admin/enable", 200, q("{'instanceId':'cs2','state':'normal','sessions':2}"));
    Run e =
        Run.of(Map.of("HACHATCTL_TOKEN_FILE", token.toString()), "--json", "enable", cs2.address());
    assertThat(e.code()).as("%s", e).isZero();
    assertThat(StatusReportTest.json(e.out()).path("state").asText()).isEqualTo("normal");
    assertThat(cs2.calls().get(cs2.calls().size() - 1).authorization()).isEqualTo("Bearer tok");
  }

  @Test
  void refused_credentials_exit_4() {
    cs2.on(
        "POST /admin/disable",
        401,
        q("{'error':{'code':'UNAUTHORIZED','message':'wrong password'}}"));
    Run r = ctl("disable", "cs2", "--user", "op-1", "--password-file", password.toString());
    assertThat(r.code()).as("%s", r).isEqualTo(4);
    assertThat(r.err())
        .contains("401 UNAUTHORIZED: wrong password")
        .contains("account op-1")
        .doesNotContain("pw-op-1");
    Run none = ctl("disable", "cs2");
    assertThat(none.code()).isEqualTo(4);
    assertThat(none.err()).contains("give --user");
    cs2.on("POST /admin/enable", 403, q("{'error':{'code':'FORBIDDEN','message':'no'}}"));
    assertThat(
            ctl("enable", "cs2", "--user", "agent-1", "--password-file", password.toString())
                .code())
        .isEqualTo(4);
    cs2.on("POST /admin/evacuate", 429, q("{'error':{'code':'RATE_LIMITED','message':'x'}}"));
    assertThat(ctl("evacuate", "cs2").code()).isEqualTo(4);
  }

  @Test
  void an_unreachable_or_hung_admin_port_exits_3() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    Run refused = Run.of("--admin", "127.0.0.1:" + closed, "status");
    assertThat(refused.code()).as("%s", refused).isEqualTo(3);
    assertThat(refused.err()).contains("connection refused");
    cs2.hang("POST /admin/disable");
    Run hung = ctl("--timeout", "300ms", "disable", cs2.address());
    assertThat(hung.code()).as("%s", hung).isEqualTo(3);
    assertThat(hung.err()).contains("no answer within 300ms");
    // the second --admin answers when the first does not
    Run second = Run.of("--admin", "127.0.0.1:" + closed + "," + cs1.address(), "status");
    assertThat(second.code()).as("%s", second).isZero();
  }

  @Test
  void usage_errors_exit_2() {
    assertThat(Run.of().code()).isEqualTo(2);
    assertThat(Run.of("frobnicate").code()).isEqualTo(2);
    assertThat(Run.of("disable").code()).as("no INSTANCE").isEqualTo(2);
    Run bad = ctl("--timeout", "10", "drain", "cs2", "--deadline", "5 minutes");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("not a duration").contains("drain");
    assertThat(Run.of("--admin", "nohost", "status").code()).isEqualTo(2);
    assertThat(ctl("--tls-trust-file", "/nonexistent.pem", "status").code()).isEqualTo(2);
    cs2.on(
        "POST /admin/drain?deadline=PT5M",
        400,
        q("{'error':{'code':'BAD_REQUEST','message':'deadline: …'}}"));
    assertThat(ctl("drain", "cs2", "--deadline", "5m").code()).as("an answer 400").isEqualTo(2);
    assertThat(Run.of("--help").code()).isZero();
    assertThat(Run.of("drain", "--help").out()).contains("--deadline");
  }

  @Test
  void failed_operations_exit_1() {
    Run unknown = ctl("disable", "cs9");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("no instance cs9").contains("known: cs1, cs2");
    cs1.on(
        "GET /history/nope",
        404,
        q("{'error':{'code':'CHAT_NOT_FOUND','message':'no final transcript for chat nope'}}"));
    Run h = ctl("history", "nope");
    assertThat(h.code()).isEqualTo(1);
    assertThat(h.err()).contains("404 CHAT_NOT_FOUND");
    cs2.on(
        "POST /admin/evacuate",
        200,
        q(
            "{'instanceId':'cs2','state':'disabled','sessions':2,"
                + "'evacuation':{'evacuated':5,'failed':2,'sessions':2,'tookMs':40}}"));
    Run ev = ctl("evacuate", "cs2");
    assertThat(ev.code()).isEqualTo(1);
    assertThat(ev.out()).contains("evacuated 5 chats in 40ms, 2 failed");
    assertThat(ev.err()).contains("2 chats could not be handed over");
    cs2.on("GET /health", 200, "not json");
    cs2.on("POST /admin/enable", 200, "<html>");
    assertThat(ctl("enable", "cs2").err()).contains("without JSON");
  }

  @Test
  void drain_waits_until_done_printing_progress() {
    cs2.on(
        "POST /admin/drain?deadline=PT2M",
        200,
        q(
            "{'instanceId':'cs2','state':'draining',"
                + "'sessions':2,'drain':{'state':'draining','deadline':'2025-06-02T09:02:00Z'}}"));
    cs2.on(
        "GET /admin/drain",
        200,
        q(
            "{'instanceId':'cs2','state':'draining','sessions':2,'oldestSessionAgeMs':12000,"
                + "'drain':{'state':'draining','deadlineInMs':110000}}"),
        q(
            "{'instanceId':'cs2','state':'draining','sessions':1,'oldestSessionAgeMs':13000,"
                + "'drain':{'state':'draining','deadlineInMs':109000}}"),
        q(
            "{'instanceId':'cs2','state':'disabled','sessions':0,'oldestSessionAgeMs':0,"
                + "'drain':{'state':'done'}}"));
    Run r = ctl("drain", "cs2", "--deadline", "2m", "--wait");
    assertThat(r.code()).as("%s", r).isZero();
    assertThat(r.out())
        .isEqualTo(
            "cs2: draining, 2 chats, deadline 2025-06-02T09:02:00Z\n"
                + "  draining: 2 chats left, oldest 12s, deadline in 1m50s\n"
                + "  draining: 1 chats left, oldest 13s, deadline in 1m49s\n"
                + "  done: 0 chats left, oldest 0s\n"
                + "cs2: disabled, 0 chats, drain done\n");
  }

  @Test
  void drain_wait_exits_1_when_cancelled_and_3_when_it_runs_out() {
    cs2.on("POST /admin/drain", 200, q("{'instanceId':'cs2','state':'draining','sessions':2}"));
    cs2.on(
        "GET /admin/drain",
        200,
        q("{'instanceId':'cs2','state':'normal','sessions':2," + "'drain':{'state':'cancelled'}}"));
    Run cancelled = ctl("--json", "drain", "cs2", "--wait");
    assertThat(cancelled.code()).as("%s", cancelled).isEqualTo(1);
    assertThat(cancelled.err()).contains("cancelled");
    assertThat(cancelled.out().strip())
        .as("json: the final status only")
        .isEqualTo(
            q(
                "{'instanceId':'cs2','state':'normal','sessions':2,"
                    + "'drain':{'state':'cancelled'}}"));
    cs2.on(
        "GET /admin/drain",
        200,
        q(
            "{'instanceId':'cs2','state':'draining','sessions':2,"
                + "'drain':{'state':'draining'}}"));
    Run slow = ctl("drain", "cs2", "--wait", "--wait-timeout", "1s");
    assertThat(slow.code()).as("%s", slow).isEqualTo(3);
    assertThat(slow.err()).contains("did not end within 1s");
  }

  @Test
  void rolling_upgrade_refuses_before_touching_anything() {
    assertThat(ctl("rolling-upgrade").code()).as("no --start").isEqualTo(2);
    String oneFailed =
        "{'instanceId':'cs1','leaseValid':true,'instances':["
            + member("cs1", cs1, true)
            + ","
            + member("cs2", cs2, false).replace("'alive':true", "'alive':false")
            + "]}";
    cs1.on("GET /cluster", 200, q(oneFailed));
    Run r = ctl("rolling-upgrade", "--start", "true");
    assertThat(r.code()).as("%s", r).isEqualTo(1);
    assertThat(r.err()).contains("at least two live instances (found 1)");
    assertThat(cs1.calls()).noneMatch(c -> c.method().equals("POST"));
    assertThat(cs2.calls()).isEmpty();
  }
}
