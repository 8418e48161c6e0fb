package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import dev.hachat.systemtest.FailoverClients.Customer;
import dev.hachat.systemtest.FailoverClients.Instance;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A stale owner is fenced. The owner of 10 chats is frozen with SIGSTOP (as a long GC pause or a
 * stalled VM would freeze it), requests for those chats are queued at it, the chats are restored on
 * the survivors and go on; then SIGCONT. The old owner must acknowledge none of the queued requests
 * (they were never acknowledged to anyone, so they must not appear in any transcript either), must
 * send later requests to the new owner, and with {@code session-restore-do-purge} on drops its
 * copies and counts them as purged, while it goes on serving new chats.
 */
class FencingIT {
  static final int CHATS = 10;
  static final int ROUNDS = 3;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("fencing")
          .instances(3)
          .instanceProperty("hachat.ha.session-restore-do-purge", "true")
          .build();

  @Test
  void a_paused_owner_acknowledges_nothing_after_a_takeover_and_purges_its_copies()
      throws Exception {
    List<Instance> instances = cluster.addresses();
    InstanceProcess owner = cluster.instance(0);
    List<Instance> alive = new CopyOnWriteArrayList<>(instances);
    FailoverClients clients = new FailoverClients(cluster.vertx(), instances);
    WebClient http = WebClient.create(cluster.vertx());

    List<Customer> customers = new ArrayList<>();
    List<AgentSeat> agents = new ArrayList<>();
    Map<String, List<String>> acked = new ConcurrentHashMap<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = clients.requestChat(0, "Customer" + i);
      customers.add(c);
      agents.add(clients.accept(c.chatId));
      clients.customerSend(c, "before", "before-" + i, alive);
      acked.put(c.chatId, new ArrayList<>(List.of("before-" + i)));
    }

    owner.pause();
    alive.remove(instances.get(0));
    // Requests that reach the frozen owner wait in its socket buffers until it runs again.
    List<io.vertx.core.Future<HttpResponse<Buffer>>> stale = new ArrayList<>();
    for (Customer c : customers) {
      stale.add(
          http.post(owner.webapiPort(), "127.0.0.1", "/v1/chats/" + c.chatId + "/send")
              .timeout(120_000)
              .sendJsonObject(
                  new JsonObject()
                      .put("participantId", c.pid)
                      .put("secureKey", c.key)
                      .put("clientMessageId", "stale")
                      .put("text", "stale-" + c.chatId)));
    }

    // The chats go on: clients time out at the frozen owner and move to the survivors.
    ExecutorService pool = Executors.newFixedThreadPool(CHATS);
    List<Future<?>> workers = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = customers.get(i);
      AgentSeat a = agents.get(i);
      workers.add(
          pool.submit(
              () -> {
                for (int round = 0; round < ROUNDS; round++) {
                  String ct = "c-" + round + "-" + c.chatId;
                  clients.customerSend(c, "c" + round, ct, alive);
                  acked.get(c.chatId).add(ct);
                  String at = "a-" + round + "-" + c.chatId;
                  clients.agentSend(a, "a" + round, at);
                  acked.get(c.chatId).add(at);
                }
                return null;
              }));
    }
    try {
      for (Future<?> w : workers) {
        w.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    owner.resume();
    for (var f : stale) {
      HttpResponse<Buffer> r;
      try {
        r = await(f);
      } catch (Exception e) {
        continue; // no answer at all is also no acknowledgement
      }
      assertThat(r.statusCode())
          .as("the resumed stale owner must not acknowledge: %s", r.bodyAsString())
          .isNotEqualTo(200);
    }

    // Later requests at the old owner are sent on to the new one.
    for (Customer c : customers) {
      HttpResponse<Buffer> r =
          await(
              http.post(owner.webapiPort(), "127.0.0.1", "/v1/chats/" + c.chatId + "/send")
                  .sendJsonObject(
                      new JsonObject()
                          .put("participantId", c.pid)
                          .put("secureKey", c.key)
                          .put("clientMessageId", "late")
                          .put("text", "late")));
      assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(409);
      JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
      assertThat(error.getString("code")).isEqualTo("NOT_OWNER");
      assertThat(error.getJsonObject("details").getString("owner")).isIn("cs2", "cs3");
    }

    JsonObject kpi = InstanceGroup.kpi(http, owner);
    assertThat(kpi.getLong("session_purged")).as("purged copies").isEqualTo(CHATS);
    assertThat(kpi.getLong("sessions_active")).isZero();

    for (Customer c : customers) {
      List<Entry> t = clients.transcript(c, alive);
      List<String> messages =
          t.stream().filter(e -> e.type() == EntryType.MESSAGE).map(Entry::text).toList();
      assertThat(messages)
          .as("chat %s: every acknowledged message once, in order, and nothing stale", c.chatId)
          .containsExactlyElementsOf(acked.get(c.chatId));
    }

    // The resumed instance is healthy and, once its quarantine after the new lease is over
    // (docs/consistency.md, R7), takes new chats.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(30))
        .until(
            () ->
                await(http.get(owner.adminPort(), "127.0.0.1", "/health").send())
                    .bodyAsJsonObject()
                    .getBoolean("acceptingChats", false));
    Customer fresh = clients.requestChat(0, "After");
    assertThat(clients.customerSend(fresh, "x", "hello again", List.of(instances.get(0))))
        .isPositive();
  }
}
