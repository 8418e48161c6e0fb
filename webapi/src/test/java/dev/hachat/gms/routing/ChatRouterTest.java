package dev.hachat.gms.routing;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.gms.GmsServer;
import dev.hachat.gms.config.GmsOptions;
import dev.hachat.store.InstanceRecord;
import dev.hachat.store.impl.memory.MemoryInstanceRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a customer is told when the instance a request goes to does not answer: a stable advice,
 * never the instance's internal host:port or the connection's cause. One web API server on real
 * sockets, its registry naming one instance at a port nothing listens on.
 */
class ChatRouterTest {
  private final Vertx vertx = Vertx.vertx();
  private final MemoryInstanceRegistry registry = new MemoryInstanceRegistry();
  private GmsServer gms;
  private WebClient http;
  private int deadPort;

  @BeforeEach
  void start() throws Exception {
    var probe = await(vertx.createNetServer().connectHandler(s -> s.close()).listen(0));
    deadPort = probe.actualPort();
    await(probe.close());
    await(
        registry.heartbeat(
            new InstanceRecord(
                "cs1",
                "127.0.0.1:" + deadPort,
                "127.0.0.1:" + deadPort,
                "127.0.0.1:" + deadPort,
                "normal",
                0,
                100,
                1,
                0,
                "test")));
    GmsOptions o = new GmsOptions().setId("gms-router-test");
    o.getHttp().setPort(0);
    o.getDirectory().setPollInterval(50);
    // One try only: the deadline passes before the first pause would end.
    o.getRouting().setFailoverDeadline(10).setRetryDelayMin(50).setRetryDelayMax(50);
    gms = await(GmsServer.start(vertx, o, registry));
    http = WebClient.create(vertx);
    Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> await(http.get(gms.port(), "127.0.0.1", "/health").send()).statusCode() == 200);
  }

  @AfterEach
  void stop() throws Exception {
    await(gms.stop());
    await(vertx.close());
  }

  private JsonObject form(String path, MultiMap params) throws Exception {
    HttpResponse<Buffer> r = await(http.post(gms.port(), "127.0.0.1", path).sendForm(params));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(503);
    return r.bodyAsJsonObject();
  }

  private void assertGenericAdvice(JsonObject reply) {
    assertThat(reply.getInteger("statusCode")).isEqualTo(1);
    JsonObject error = reply.getJsonArray("errors").getJsonObject(0);
    assertThat(error.getString("name")).isEqualTo("INSTANCE_UNAVAILABLE");
    assertThat(error.getString("advice")).isEqualTo(ChatRouter.UNREACHABLE_ADVICE);
    assertThat(reply.encode())
        .doesNotContain("127.0.0.1")
        .doesNotContain(String.valueOf(deadPort))
        .doesNotContainIgnoringCase("connection");
  }

  @Test
  void a_new_chat_on_an_instance_that_does_not_answer_names_no_internal_address() throws Exception {
    JsonObject reply =
        form(
            "/genesys/2/chat/customer-support",
            MultiMap.caseInsensitiveMultiMap().add("nickname", "Ann"));
    assertGenericAdvice(reply);
  }

  @Test
  void a_request_whose_owner_does_not_answer_names_no_internal_address() throws Exception {
    JsonObject reply =
        form(
            "/genesys/2/chat/customer-support/chat-1/send",
            MultiMap.caseInsensitiveMultiMap()
                .add("userId", "p1")
                .add("secureKey", "k")
                .add("alias", "cs1")
                .add("message", "hello"));
    assertGenericAdvice(reply);
  }
}
