package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.esp.client.EspClient;
import dev.hachat.esp.client.EspClientOptions;
import dev.hachat.esp.client.WaitingChat;
import dev.hachat.store.Entry;
import dev.hachat.store.EntryType;
import dev.hachat.systemtest.FailoverClients.Customer;
import dev.hachat.systemtest.FailoverClients.Instance;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * updateNickname and updateData acknowledged by an instance that is then killed (kill -9): the
 * survivor restores the chat from Cassandra with the new nickname and the merged user data.
 */
class UpdatesFailoverIT {
  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder().sharedCassandra("updates_failover").instances(2).build();

  private static JsonObject post(WebClient http, Instance at, String path, JsonObject body)
      throws Exception {
    HttpResponse<Buffer> r = await(http.post(at.webapi(), "127.0.0.1", path).sendJsonObject(body));
    assertThat(r.statusCode()).as(r.bodyAsString()).isEqualTo(200);
    return r.bodyAsJsonObject().getJsonObject("entry");
  }

  @Test
  void nickname_and_user_data_updates_survive_kill_9_of_their_instance() throws Exception {
    List<Instance> instances = cluster.addresses();
    FailoverClients clients = new FailoverClients(cluster.vertx(), instances);
    WebClient http = WebClient.create(cluster.vertx());
    Customer c = clients.requestChat(0, "Ann");
    JsonObject auth = new JsonObject().put("participantId", c.pid).put("secureKey", c.key);
    String chat = "/v1/chats/" + c.chatId;
    post(http, instances.get(0), chat + "/updateNickname", auth.copy().put("nickname", "Annie"));
    post(
        http,
        instances.get(0),
        chat + "/updateData",
        auth.copy().put("userData", new JsonObject().put("order", "B-2").put("tier", "gold")));
    post(
        http,
        instances.get(0),
        chat + "/updateData",
        auth.copy().put("userData", new JsonObject().put("tier", "platinum")));

    cluster.instance(0).kill();
    List<Instance> alive = List.of(instances.get(1));
    clients.transcript(c, alive); // restores the chat on cs2
    long index = clients.customerSend(c, "m1", "after the kill", alive);
    List<Entry> t = clients.transcript(c, alive);
    assertThat(t)
        .extracting(Entry::type)
        .containsExactly(
            EntryType.PARTICIPANT_JOINED,
            EntryType.NICKNAME_UPDATED,
            EntryType.USER_DATA_UPDATED,
            EntryType.USER_DATA_UPDATED,
            EntryType.NOTICE, // the restore notice
            EntryType.MESSAGE);
    assertThat(t.get(1).nickname()).isEqualTo("Annie");
    assertThat(t.get((int) index - 1).nickname())
        .as("the restored participant record has the new nickname")
        .isEqualTo("Annie");

    EspClient agent =
        await(
            EspClient.connect(
                cluster.vertx(), new EspClientOptions().setPort(instances.get(1).esp())));
    await(agent.login("a1", "Bob", null));
    List<WaitingChat> waiting = await(agent.listWaiting());
    assertThat(waiting)
        .filteredOn(w -> w.chatId().equals(c.chatId))
        .singleElement()
        .satisfies(
            w -> {
              assertThat(w.customer()).isEqualTo("Annie");
              assertThat(w.userData()).isEqualTo(Map.of("order", "B-2", "tier", "platinum"));
            });
  }
}
