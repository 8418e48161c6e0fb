package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
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
import org.junit.jupiter.api.Test;

/**
 * The store (the only Cassandra node, or PostgreSQL in UCS-only mode) stops for a while under
 * running chats: sends get a typed, retryable error and are never acknowledged; the instance keeps
 * answering (health, errors) and reports the store as unavailable; once the node is back the chats
 * go on, the refused messages are resent with their ids, and every transcript holds each
 * acknowledged message exactly once, in order.
 */
abstract class StoreOutageScenario {
  static final int CHATS = 5;

  /** One instance {@code cs1} on the store under test: the subclass's {@link ClusterExtension}. */
  abstract ClusterExtension cluster();

  /** Stops the store (all of it) until {@link #restartStore()}. */
  abstract void stopStore() throws Exception;

  abstract void restartStore() throws Exception;

  @Test
  void sends_fail_typed_while_the_store_is_down_and_nothing_acknowledged_is_lost()
      throws Exception {
    InstanceProcess instance = cluster().instance(0);
    List<Instance> one =
        List.of(new Instance(instance.instanceId(), instance.webapiPort(), instance.espPort()));
    FailoverClients clients = new FailoverClients(cluster().vertx(), one);
    WebClient http = WebClient.create(cluster().vertx());
    List<Customer> customers = new ArrayList<>();
    List<AgentSeat> agents = new ArrayList<>();
    List<List<String>> expected = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = clients.requestChat(0, "Customer" + i);
      customers.add(c);
      agents.add(clients.accept(c.chatId));
      clients.customerSend(c, "before", "before-" + i, one);
      expected.add(new ArrayList<>(List.of("before-" + i)));
    }

    stopStore();

    EspClient agentDesk =
        await(
            EspClient.connect(
                cluster().vertx(),
                new EspClientOptions().setPort(instance.espPort()).setRequestTimeout(30_000)));
    await(agentDesk.login("agent-outage", "Bob", null));
    int storeUnavailable = 0;
    for (int i = 0; i < CHATS; i++) {
      Customer c = customers.get(i);
      HttpResponse<Buffer> r =
          await(
              http.post(instance.webapiPort(), "127.0.0.1", "/v1/chats/" + c.chatId + "/send")
                  .timeout(30_000)
                  .sendJsonObject(
                      new JsonObject()
                          .put("participantId", c.pid)
                          .put("secureKey", c.key)
                          .put("clientMessageId", "during")
                          .put("text", "during-" + i)));
      JsonObject error = r.bodyAsJsonObject().getJsonObject("error");
      assertThat(r.statusCode()).as("a send while the store is down: %s", error).isIn(409, 503);
      assertThat(error.getString("message")).isNotBlank();
      if ("STORE_UNAVAILABLE".equals(error.getString("code"))) {
        storeUnavailable++;
      } else {
        assertThat(error.getString("code")).isEqualTo("NOT_OWNER");
      }
      AgentSeat a = agents.get(i);
      try {
        await(agentDesk.attach(a.chatId(), a.pid(), a.key(), 0));
        await(agentDesk.send(a.chatId(), "during", "agent-during-" + i));
        throw new AssertionError("an agent send was acknowledged while the store was down");
      } catch (ChatException e) {
        assertThat(e.code().retryable()).as(e.getMessage()).isTrue();
      }
    }
    assertThat(storeUnavailable).as("sends refused as STORE_UNAVAILABLE").isPositive();

    // The instance itself still answers, and says what is wrong.
    JsonObject health =
        await(http.get(instance.adminPort(), "127.0.0.1", "/health").send()).bodyAsJsonObject();
    assertThat(health.getString("store")).isEqualTo("UNAVAILABLE");
    HttpResponse<Buffer> bad =
        await(
            http.post(instance.webapiPort(), "127.0.0.1", "/v1/chats/x/send")
                .putHeader("content-type", "application/json")
                .sendBuffer(Buffer.buffer("{not json")));
    assertThat(bad.statusCode()).isEqualTo(400);

    restartStore();

    // Clients resend what was refused, with the same ids, then go on.
    for (int i = 0; i < CHATS; i++) {
      Customer c = customers.get(i);
      clients.customerSend(c, "during", "during-" + i, one);
      expected.get(i).add("during-" + i);
      clients.agentSend(agents.get(i), "during", "agent-during-" + i);
      expected.get(i).add("agent-during-" + i);
      clients.customerSend(c, "after", "after-" + i, one);
      expected.get(i).add("after-" + i);
    }
    for (int i = 0; i < CHATS; i++) {
      List<Entry> t = clients.transcript(customers.get(i), one);
      for (int k = 0; k < t.size(); k++) {
        assertThat(t.get(k).index()).isEqualTo(k + 1);
      }
      assertThat(t.stream().filter(e -> e.type() == EntryType.MESSAGE).map(Entry::text))
          .as("chat %d: every acknowledged message once, in order", i)
          .containsExactlyElementsOf(expected.get(i));
    }
    JsonObject kpi =
        await(http.get(instance.adminPort(), "127.0.0.1", "/kpi").send())
            .bodyAsJsonObject()
            .getJsonObject("kpi");
    assertThat(kpi.getBoolean("store_available")).isTrue();
    assertThat(kpi.getLong("transcript_save_failures") + kpi.getLong("session_restore_failed"))
        .isPositive();
  }
}
