package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An instance overloaded with chats keeps its lease (docs/cassandra.md#load): one instance at the
 * default lease timing ({@code ha.heartbeat-interval} 1 s, so each heartbeat must be answered
 * within 1 s, {@code heartbeat-timeout} 3 s) on a real Cassandra node, and {@value #IN_FLIGHT}
 * clients at once creating chats and sending in them for {@value #SECONDS} s, far more than the
 * node answers. Requests slow down or fail retryable; the instance must never lose its lease
 * ({@code lease_lost} 0), and a chat opened afterwards works at once. Without the bound on chat
 * requests ({@code store.cassandra.max-concurrent-requests} 1000000) this test failed here: 25
 * requests answered in the 20 s, an event loop blocked for 4 s (2026-12-04, 2 cores shared with a
 * chaos run); 10,000 chats created and accepted at once cost an instance its lease.
 */
class OverloadLeaseIT {
  static final int IN_FLIGHT = 200; // below webapi.max-connections-per-address (256)
  static final int SECONDS = 20;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("overload_lease")
          .instances(1)
          // The flood opens chats and never ends them; a fast machine opened more than the
          // default 1,000 and every later create was SESSION_LIMIT_REACHED (CI, 2026-12-04).
          // This test is about the store path, not admission.
          .instanceProperty("hachat.session.limit-for-sessions", "1000000")
          .build();

  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong opened = new AtomicLong();

  @Test
  void an_instance_flooded_with_chats_keeps_its_lease() throws Exception {
    InstanceProcess cs = cluster.instance(0);
    WebClient http =
        WebClient.create(
            cluster.vertx(),
            new io.vertx.ext.web.client.WebClientOptions(),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(IN_FLIGHT));
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
    List<Future<Void>> clients = new ArrayList<>();
    for (int i = 0; i < IN_FLIGHT; i++) {
      Promise<Void> done = Promise.promise();
      cluster.vertx().runOnContext(v -> chatUntil(http, cs.webapiPort(), end, 0, done));
      clients.add(done.future());
    }
    await(Future.all(clients), java.time.Duration.ofSeconds(SECONDS + 60));

    JsonObject kpi = cluster.kpi(cs);
    System.out.printf(
        "OVERLOAD: %d answered (%d chats opened), %d refused retryable, lease_lost %d%n",
        acked.get(), opened.get(), refused.get(), kpi.getLong("lease_lost"));
    assertThat(acked.get()).as("requests answered under the overload").isGreaterThan(100);
    assertThat(kpi.getLong("lease_lost"))
        .as("lease lost under overload (%d answered, %d refused retryable)", acked, refused)
        .isZero();
    // The instance serves at once afterwards: a new chat takes a message.
    JsonObject c = create(http, cs.webapiPort());
    assertThat(send(http, cs.webapiPort(), c, "after", 5000)).isEqualTo(200);
  }

  /** One client: a chat, messages in it, another chat, …, until {@code end}. */
  private void chatUntil(WebClient http, int port, long end, int n, Promise<Void> done) {
    if (System.nanoTime() > end) {
      done.complete();
      return;
    }
    http.post(port, "127.0.0.1", "/v1/chats")
        .timeout(30_000)
        .sendJsonObject(new JsonObject().put("nickname", "c" + n))
        .onComplete(
            ar -> {
              if (ar.succeeded() && ar.result().statusCode() / 100 == 2) {
                acked.incrementAndGet();
                opened.incrementAndGet();
                sendUntil(http, port, end, ar.result().bodyAsJsonObject(), 0, done);
              } else {
                count(ar.succeeded() ? ar.result().statusCode() : -1, done);
                chatUntil(http, port, end, n + 1, done);
              }
            });
  }

  private void sendUntil(
      WebClient http, int port, long end, JsonObject chat, int k, Promise<Void> done) {
    if (System.nanoTime() > end || k == 10) {
      chatUntil(http, port, end, k, done);
      return;
    }
    http.post(port, "127.0.0.1", "/v1/chats/" + chat.getString("chatId") + "/send")
        .timeout(30_000)
        .sendJsonObject(body(chat, "m" + k))
        .onComplete(
            ar -> {
              int status = ar.succeeded() ? ar.result().statusCode() : -1;
              if (status == 200) {
                acked.incrementAndGet();
              } else {
                count(status, done);
              }
              sendUntil(http, port, end, chat, k + 1, done);
            });
  }

  /** A refusal under overload must be retryable (503) or a lapse of this client's patience. */
  private void count(int status, Promise<Void> done) {
    refused.incrementAndGet();
    if (status != 503 && status != -1) {
      done.tryFail(new AssertionError("not a retryable answer under overload: " + status));
    }
  }

  private static JsonObject body(JsonObject chat, String id) {
    return new JsonObject()
        .put("participantId", chat.getString("participantId"))
        .put("secureKey", chat.getString("secureKey"))
        .put("clientMessageId", id)
        .put("text", "text of " + id);
  }

  /** A new chat, asked again while the instance still works off the load (503, bounded). */
  private JsonObject create(WebClient http, int port) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      var r =
          await(
              http.post(port, "127.0.0.1", "/v1/chats")
                  .timeout(5000)
                  .sendJsonObject(new JsonObject().put("nickname", "after")));
      if (r.statusCode() / 100 == 2) {
        return r.bodyAsJsonObject();
      }
      assertThat(r.statusCode())
          .as("a new chat after the load: %s", r.bodyAsString())
          .isEqualTo(503);
      String last = r.bodyAsString();
      assertThat(System.nanoTime() < deadline)
          .as("a new chat within 30 s of the load; last answer %s", last)
          .isTrue();
      await(cluster.vertx().timer(200)); // paces the retries, synchronises nothing
    }
  }

  private static int send(WebClient http, int port, JsonObject chat, String id, long timeout)
      throws Exception {
    return await(
            http.post(port, "127.0.0.1", "/v1/chats/" + chat.getString("chatId") + "/send")
                .timeout(timeout)
                .sendJsonObject(body(chat, id)))
        .statusCode();
  }
}
