package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.store.EntryType;
import dev.hachat.systemtest.FailoverClients.AgentSeat;
import dev.hachat.systemtest.FailoverClients.Customer;
import dev.hachat.systemtest.FailoverClients.Instance;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two clients restore the same chat on two instances at once (an agent desktop reconnecting to both
 * survivors), for 20 chats of a killed instance: every chat ends with exactly one owner, restored
 * exactly once; the loser of each race is told to go elsewhere, and the webapi port of the instance
 * that lost sends the customer to the winner.
 */
class ConcurrentRestoreIT {
  static final int CHATS = 20;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder().sharedCassandra("concurrent_restore").instances(3).build();

  @Test
  void two_instances_restoring_one_chat_at_once_end_with_one_owner() throws Exception {
    List<Instance> instances = cluster.addresses();
    FailoverClients clients = new FailoverClients(cluster.vertx(), instances);
    WebClient http =
        WebClient.create(
            cluster.vertx(),
            new io.vertx.ext.web.client.WebClientOptions(),
            new io.vertx.core.http.PoolOptions().setHttp1MaxSize(CHATS));
    List<Customer> customers = new ArrayList<>();
    List<AgentSeat> agents = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      Customer c = clients.requestChat(0, "Customer" + i);
      customers.add(c);
      agents.add(clients.accept(c.chatId));
      clients.customerSend(c, "m0", "hello " + i, instances);
    }

    cluster.instance(0).kill();
    InstanceProcess cs2 = cluster.instance(1);
    InstanceProcess cs3 = cluster.instance(2);
    for (InstanceProcess p : List.of(cs2, cs3)) {
      FailoverClients.awaitCondition(
          p.instanceId() + " sees cs1 dead", 30, () -> !seesAlive(http, p, "cs1"));
    }

    EspClient agentAtCs2 = espAt(cs2);
    EspClient agentAtCs3 = espAt(cs3);

    // The agent's desktop reaches both survivors at once for every chat (a reconnect storm); the
    // order alternates so that both sides get to win races.
    List<Future<Void>> at2 = new ArrayList<>();
    List<Future<Void>> at3 = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      AgentSeat a = agents.get(i);
      if (i % 2 == 1) {
        at3.add(agentAtCs3.attach(a.chatId(), a.pid(), a.key(), 0));
      }
      at2.add(agentAtCs2.attach(a.chatId(), a.pid(), a.key(), 0));
      if (i % 2 == 0) {
        at3.add(agentAtCs3.attach(a.chatId(), a.pid(), a.key(), 0));
      }
    }

    int wonBy2 = 0;
    int wonBy3 = 0;
    for (int i = 0; i < CHATS; i++) {
      ChatException lost2 = outcome(at2.get(i));
      ChatException lost3 = outcome(at3.get(i));
      assertThat(lost2 == null ^ lost3 == null)
          .as("chat %d: exactly one of the racing restores wins (%s, %s)", i, lost2, lost3)
          .isTrue();
      ChatException loser = lost2 != null ? lost2 : lost3;
      assertThat(loser.code()).as(loser.getMessage()).isEqualTo(ErrorCode.NOT_OWNER);
      assertThat(loser.details().getString("owner"))
          .as("the loser names the winner")
          .isEqualTo(lost2 == null ? "cs2" : "cs3");
      if (lost2 == null) {
        wonBy2++;
      } else {
        wonBy3++;
      }
    }
    System.out.printf("races won: cs2 %d, cs3 %d%n", wonBy2, wonBy3);

    // One owner each: the other instance redirects to it, and each chat was restored once.
    long restored =
        InstanceGroup.kpi(http, cs2).getLong("session_restored")
            + InstanceGroup.kpi(http, cs3).getLong("session_restored");
    assertThat(restored).as("restores across both survivors").isEqualTo(CHATS);
    for (Customer c : customers) {
      int owners = 0;
      for (InstanceProcess p : List.of(cs2, cs3)) {
        HttpResponse<Buffer> r =
            await(
                http.post(p.webapiPort(), "127.0.0.1", "/v1/chats/" + c.chatId + "/refresh")
                    .sendJsonObject(
                        new JsonObject()
                            .put("participantId", c.pid)
                            .put("secureKey", c.key)
                            .put("after", 0)));
        if (r.statusCode() == 200) {
          owners++;
          long notices =
              dev.hachat.store.EntryJson.fromJson(r.bodyAsJsonObject().getJsonArray("entries"))
                  .stream()
                  .filter(e -> e.type() == EntryType.NOTICE)
                  .count();
          assertThat(notices).as("one restore notice in %s", c.chatId).isEqualTo(1);
        } else {
          assertThat(r.bodyAsJsonObject().getJsonObject("error").getString("code"))
              .isEqualTo("NOT_OWNER");
        }
      }
      assertThat(owners).as("owners of %s", c.chatId).isEqualTo(1);
    }
  }

  /** null if the future succeeded, else its ChatException. */
  private static ChatException outcome(Future<Void> f) throws Exception {
    try {
      await(f);
      return null;
    } catch (ChatException e) {
      return e;
    }
  }

  private static EspClient espAt(InstanceProcess p) throws Exception {
    EspClient c =
        await(
            EspClient.connect(
                cluster.vertx(),
                new EspClientOptions().setPort(p.espPort()).setRequestTimeout(10_000)));
    await(c.login("agent-race", "Bob", null));
    return c;
  }

  private static boolean seesAlive(WebClient http, InstanceProcess p, String other)
      throws Exception {
    JsonObject cluster =
        await(http.get(p.adminPort(), "127.0.0.1", "/cluster").send()).bodyAsJsonObject();
    for (int i = 0; i < cluster.getJsonArray("instances").size(); i++) {
      JsonObject m = cluster.getJsonArray("instances").getJsonObject(i);
      if (m.getString("instanceId").equals(other)) {
        return m.getBoolean("alive");
      }
    }
    return false;
  }
}
