package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Disable through the web API tier, real processes (Cassandra, 2 instances, 1 web API server): once
 * an instance is disabled, the web API server sees it within one heartbeat (plus its own registry
 * poll) and no new chat lands on it, while the chat it holds goes on.
 */
@Tag("system")
class DisableIT {
  static final int NEW_CHATS = 40;

  /** Heartbeat interval (500 ms) + the web API server's poll (200 ms) + scheduling slack. */
  static final long SEEN_WITHIN_MS = 2000;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("disable_it")
          .instances(2)
          .webApiServers(1)
          .build();

  @Test
  void no_new_chat_lands_on_a_disabled_instance_after_one_heartbeat() throws Exception {
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    WebApiProcess gms = cluster.webApi(0);
    InstanceProcess disabled = cluster.instance(0);
    GmsCustomers.Chat held = null;
    for (int i = 0; i < 20 && held == null; i++) {
      GmsCustomers.Chat c = customers.requestChat(gms.port(), "Early" + i);
      if (disabled.instanceId().equals(c.alias)) {
        held = c;
      }
    }
    assertThat(held).as("a chat on %s before it is disabled", disabled.instanceId()).isNotNull();
    long createdBefore = cluster.kpi(disabled).getLong("session_created");

    long t0 = System.nanoTime();
    JsonObject answer = cluster.adminPost(disabled, "/admin/disable");
    assertThat(answer.getString("state")).isEqualTo("disabled");
    FailoverClients.awaitCondition(
        "the web API server sees the instance disabled",
        10,
        () -> "disabled".equals(stateOf(gms, disabled.instanceId())));
    long seenMs = (System.nanoTime() - t0) / 1_000_000;
    assertThat(seenMs).as("seen disabled within one heartbeat + poll").isLessThan(SEEN_WITHIN_MS);

    int onDisabled = 0;
    for (int i = 0; i < NEW_CHATS; i++) {
      GmsCustomers.Chat c = customers.requestChat(gms.port(), "Late" + i);
      if (disabled.instanceId().equals(c.alias)) {
        onDisabled++;
      }
    }
    long createdAfter = cluster.kpi(disabled).getLong("session_created");
    assertThat(onDisabled).as("new chats on the disabled instance").isZero();
    assertThat(createdAfter).isEqualTo(createdBefore);
    // The chat it holds goes on there.
    customers.send(held, "m1", "still served");
    assertThat(held.alias).isEqualTo(disabled.instanceId());
    assertThat(customers.failures.get()).isZero();
    System.out.printf(
        "DISABLE RESULT seen_disabled_after_ms=%d new_chats=%d on_disabled=%d"
            + " held_chat_served=true failed_requests=%d%n",
        seenMs, NEW_CHATS, onDisabled, customers.failures.get());
  }

  private String stateOf(WebApiProcess gms, String instanceId) throws Exception {
    for (Object o : cluster.instancesSeenBy(gms).getJsonArray("instances")) {
      JsonObject i = (JsonObject) o;
      if (instanceId.equals(i.getString("instanceId"))) {
        return i.getString("state");
      }
    }
    return null;
  }
}
