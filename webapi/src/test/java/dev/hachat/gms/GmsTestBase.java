package dev.hachat.gms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.gms.config.GmsOptions;
import dev.hachat.server.ChatServer;
import dev.hachat.server.testing.TestNodes;
import dev.hachat.testing.Await;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Two chat-server instances and one web API server in this process, sharing an in-memory store and
 * registry, all on real sockets (port 0). For tests of the GMS API itself; failover is tested with
 * real processes and Cassandra in the system tests.
 */
abstract class GmsTestBase {
  /** What the instances run with besides {@link TestNodes#serverOptions}'s defaults. */
  private static final Map<String, String> INSTANCE_SETTINGS =
      Map.of(
          // A short quarantine (4 intervals) at start; the timeout stays at its default.
          "hachat.ha.heartbeat-interval", "100",
          "hachat.session.max-message-size", "1000");

  /** How long a test waits for one step (a failover takes a few heartbeat timeouts). */
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(20);

  protected final TestNodes nodes = TestNodes.inMemory();
  protected final Vertx vertx = nodes.vertx();
  protected final List<ChatServer> instances = new ArrayList<>();
  protected GmsServer gms;
  protected WebClient http;
  protected final List<EspClient> agents = new ArrayList<>();

  /** The result of {@code f} within {@link #STEP_TIMEOUT} ({@link Await}). */
  static <T> T await(Future<T> f) throws Exception {
    return Await.await(f, STEP_TIMEOUT);
  }

  /** What the instances run with; tests may add settings (full names, {@code hachat.*}). */
  protected Map<String, String> instanceSettings() {
    return INSTANCE_SETTINGS;
  }

  /** Options of the web API server under test; tests may change them before start. */
  protected GmsOptions gmsOptions() {
    GmsOptions o =
        new GmsOptions().setId("gms-test").setMaxBodySize(4096).setMaxParameterSize(2000);
    o.getHttp().setPort(0);
    o.getDirectory().setPollInterval(50);
    o.getRouting().setFailoverDeadline(5000);
    // Tests open many chats from 127.0.0.1; GmsEdgeTest tests the per-address limit itself.
    o.getEdge().setNewChatsPerMinute(1_000_000).setNewChatsBurst(100_000);
    return o;
  }

  @BeforeEach
  void startAll() throws Exception {
    // Started side by side: each waits out its quarantine before it is ready.
    Future<ChatServer> cs1 = nodes.startServer("cs1", instanceSettings());
    Future<ChatServer> cs2 = nodes.startServer("cs2", instanceSettings());
    await(Future.all(cs1, cs2));
    instances.add(cs1.result());
    instances.add(cs2.result());
    gms = await(GmsServer.start(vertx, gmsOptions(), nodes.registry()));
    http = WebClient.create(vertx);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (EspClient a : agents) {
      a.disconnect();
    }
    await(gms.stop());
    nodes.close();
  }

  /** POSTs form-encoded parameters, as GMS widgets do. */
  HttpResponse<Buffer> form(String path, Map<String, String> params) throws Exception {
    MultiMap form = MultiMap.caseInsensitiveMultiMap();
    params.forEach(form::add);
    return await(http.post(gms.port(), "127.0.0.1", path).sendForm(form));
  }

  HttpResponse<Buffer> raw(String path, String contentType, Buffer body) throws Exception {
    return await(
        http.post(gms.port(), "127.0.0.1", path)
            .putHeader("content-type", contentType)
            .sendBuffer(body));
  }

  /** A customer's chat as the GMS API returned it. */
  record Chat(String chatId, String userId, String secureKey, String alias) {
    Map<String, String> auth() {
      return Map.of("userId", userId, "secureKey", secureKey, "alias", alias);
    }

    Map<String, String> auth(String key, String value) {
      Map<String, String> m = new java.util.HashMap<>(auth());
      m.put(key, value);
      return m;
    }
  }

  Chat requestChat(String nickname) throws Exception {
    HttpResponse<Buffer> r =
        form(
            "/genesys/2/chat/customer-support",
            Map.of("nickname", nickname, "subject", "billing", "userData[order]", "A-17"));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    JsonObject b = r.bodyAsJsonObject();
    assertThat(b.getInteger("statusCode")).isZero();
    return new Chat(
        b.getString("chatId"),
        b.getString("userId"),
        b.getString("secureKey"),
        b.getString("alias"));
  }

  JsonObject op(Chat c, String op, Map<String, String> params) throws Exception {
    return form("/genesys/2/chat/customer-support/" + c.chatId() + "/" + op, params)
        .bodyAsJsonObject();
  }

  ChatServer instance(String id) {
    return instances.stream().filter(s -> s.instanceId().equals(id)).findFirst().orElseThrow();
  }

  /** An agent logged in at the instance that owns the chat, having accepted it. */
  EspClient agentAccepts(Chat c) throws Exception {
    EspClient a =
        await(
            EspClient.connect(
                vertx,
                new EspClientOptions()
                    .setHost("127.0.0.1")
                    .setPort(instance(c.alias()).espPort())));
    agents.add(a);
    await(a.login("agent-" + agents.size(), "Bob", null));
    await(a.accept(c.chatId()));
    return a;
  }
}
