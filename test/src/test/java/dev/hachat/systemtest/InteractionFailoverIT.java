package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.TalkingAgent.Seen;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * kill -9 of the owning instance while agents, through the interaction server, are in the middle of
 * their chats (issue 15), all real processes: Cassandra, three instances, a web API server and an
 * interaction server. Five agents take 15 chats over the agent API; each customer sends over GMS
 * REST every 200 ms and each agent every 300 ms; the instance holding the most chats is killed. For
 * each of its chats, from the moment the agent sees the chat restored (the interaction server's
 * RESTORED notice or the instance's restore notice entry, whichever comes first) to the next
 * customer message reaching the agent takes at most 1 s, and so does the time from the instance's
 * restore (its notice entry's time) to that message: no jitter pause is waited out. After the run
 * the agent has seen every acknowledged customer message once, in order, and the customer's
 * transcript holds every acknowledged message of both once, in order. Prints an {@code INTERACTION
 * FAILOVER RESULT} line with the figures.
 */
@Tag("system")
class InteractionFailoverIT {
  static final int CHATS = 15;
  static final int AGENTS = 5;
  static final long CUSTOMER_EVERY_MS = 200;
  static final long AGENT_EVERY_MS = 300;
  static final long STREAM_LIMIT_MS = 1000;

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("interaction_failover")
          .instances(3)
          .webApiServers(1)
          .interactionServers(1)
          .build();

  /** One chat as the test drives it: the customer, its agent, and what each got acknowledged. */
  private record Talk(
      GmsCustomers.Chat customer,
      TalkingAgent agent,
      List<String> customerAcked,
      List<String> agentAcked) {}

  @Test
  void the_agents_stream_goes_on_within_1_s_of_the_restore_after_kill_9_of_the_owner()
      throws Exception {
    List<TalkingAgent> agents = new ArrayList<>();
    for (int i = 1; i <= AGENTS; i++) {
      agents.add(new TalkingAgent(cluster.vertx(), "agent" + i));
    }
    int port = cluster.interaction(0).port();
    await(Future.all(agents.stream().map(a -> a.start(port)).toList()), Duration.ofSeconds(30));
    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    List<GmsCustomers.Chat> chats = new ArrayList<>();
    for (int i = 0; i < CHATS; i++) {
      chats.add(customers.requestChat(cluster.webApi(0).port(), "Customer" + i));
    }
    Awaitility.await("every chat accepted by an agent")
        .atMost(Duration.ofSeconds(30))
        .until(() -> agents.stream().mapToInt(a -> a.chats().size()).sum() == CHATS);
    List<Talk> talks = new ArrayList<>();
    for (GmsCustomers.Chat c : chats) {
      TalkingAgent a = agents.stream().filter(x -> x.chats().contains(c.chatId)).findFirst().get();
      talks.add(new Talk(c, a, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>()));
    }

    ScheduledExecutorService pool = Executors.newScheduledThreadPool(2 * CHATS);
    for (Talk t : talks) {
      pool.scheduleWithFixedDelay(
          () -> customerSends(customers, t), 0, CUSTOMER_EVERY_MS, TimeUnit.MILLISECONDS);
      pool.scheduleWithFixedDelay(() -> agentSends(t), 0, AGENT_EVERY_MS, TimeUnit.MILLISECONDS);
    }
    Awaitility.await("every chat under way")
        .atMost(Duration.ofSeconds(60))
        .until(() -> talks.stream().allMatch(t -> t.customerAcked().size() >= 5));
    Map<String, String> ownerAtKill = new ConcurrentHashMap<>();
    talks.forEach(t -> ownerAtKill.put(t.customer().chatId, t.customer().alias));
    InstanceProcess victim = cluster.mostLoaded();
    victim.kill();
    long killedAt = System.nanoTime();
    System.out.printf("kill -9 of %s (the most loaded instance)%n", victim.instanceId());
    List<Talk> affected =
        talks.stream()
            .filter(t -> victim.instanceId().equals(ownerAtKill.get(t.customer().chatId)))
            .toList();
    assertThat(affected).as("chats owned by the killed instance").isNotEmpty();
    try {
      Awaitility.await("every chat of the killed instance restored and talked in again")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(100))
          .until(() -> affected.stream().allMatch(t -> customerMessagesAfterRestore(t) >= 3));
    } finally {
      pool.shutdown(); // the periodic sends stop; those under way finish
      assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).as("sends finished").isTrue();
    }

    Awaitility.await("every acknowledged customer message reached its agent")
        .atMost(Duration.ofSeconds(10))
        .until(() -> talks.stream().allMatch(t -> customerTexts(t).equals(t.customerAcked())));
    for (Talk t : talks) {
      assertAgentSawEachEntryOnce(t);
      assertCustomerTranscript(customers, t);
    }
    assertThat(customers.failures.get()).as("failed customer requests").isZero();
    agents.forEach(a -> assertThat(a.failedAccepts()).as("failed accepts").isEmpty());

    List<Long> killToRestore = new ArrayList<>();
    List<Long> restoreToNext = new ArrayList<>();
    List<Long> restoreNoticeToAgent = new ArrayList<>();
    List<Long> instanceRestoreToNext = new ArrayList<>();
    for (Talk t : affected) {
      long restored = restoredAt(t);
      Seen next = firstCustomerMessageAfterRestore(t);
      killToRestore.add(TimeUnit.NANOSECONDS.toMillis(restored - killedAt));
      restoreToNext.add(TimeUnit.NANOSECONDS.toMillis(next.at() - restored));
      // The same from the instance's side: its restore notice entry's utcTime.
      t.agent().seen(t.customer().chatId).stream()
          .filter(Seen::restoreNotice)
          .findFirst()
          .ifPresent(
              n -> {
                restoreNoticeToAgent.add(n.wallAt() - n.utcTime());
                instanceRestoreToNext.add(next.wallAt() - n.utcTime());
              });
    }
    for (List<Long> l : List.of(killToRestore, restoreToNext, restoreNoticeToAgent)) {
      l.sort(null);
    }
    instanceRestoreToNext.sort(null);
    System.out.printf(
        "INTERACTION FAILOVER RESULT chats=%d affected=%d customer_acked=%d agent_acked=%d"
            + " lost=0 dup=0 kill_to_restore_seen_ms p50=%d max=%d"
            + " restore_to_next_customer_message_ms p50=%d max=%d all=%s"
            + " instance_restore_to_agent_ms=%s instance_restore_to_next_customer_message_ms=%s%n",
        CHATS,
        affected.size(),
        talks.stream().mapToInt(t -> t.customerAcked().size()).sum(),
        talks.stream().mapToInt(t -> t.agentAcked().size()).sum(),
        killToRestore.get((killToRestore.size() - 1) / 2),
        killToRestore.get(killToRestore.size() - 1),
        restoreToNext.get((restoreToNext.size() - 1) / 2),
        restoreToNext.get(restoreToNext.size() - 1),
        restoreToNext,
        restoreNoticeToAgent,
        instanceRestoreToNext);
    for (Talk t : affected) {
      assertThat(t.agent().restoreNotices(t.customer().chatId))
          .as("RESTORED notices to the agent of %s", t.customer().chatId)
          .hasSize(1);
    }
    assertThat(restoreNoticeToAgent)
        .as("chats with the instance's restore notice entry")
        .hasSize(affected.size());
    assertThat(restoreToNext)
        .as("ms from the agent seeing the restore to the next customer message there")
        .allMatch(ms -> ms <= STREAM_LIMIT_MS);
    assertThat(instanceRestoreToNext)
        .as("ms from the instance's restore to the next customer message at the agent")
        .allMatch(ms -> ms <= STREAM_LIMIT_MS);
    for (TalkingAgent a : agents) {
      a.stop();
    }
  }

  private static void customerSends(GmsCustomers customers, Talk t) {
    int k = t.customerAcked().size();
    String text = "c-" + t.customer().chatId + "-" + k;
    try {
      customers.send(t.customer(), "c-" + k, text);
      t.customerAcked().add(text);
    } catch (Exception | AssertionError e) {
      System.out.println("customer send failed (counted): " + e); // the next tick sends it again
    }
  }

  private static void agentSends(Talk t) {
    int k = t.agentAcked().size();
    String text = "a-" + t.customer().chatId + "-" + k;
    try {
      await(t.agent().send(t.customer().chatId, "a-" + k, text), Duration.ofSeconds(40));
      t.agentAcked().add(text);
    } catch (Exception e) {
      System.out.println("agent send failed: " + e); // the next tick sends it again, same id
    }
  }

  /** The first sign at the agent that the chat was restored; -1 if none yet. */
  private static long restoredAt(Talk t) {
    String chatId = t.customer().chatId;
    long notice = t.agent().restoreNotices(chatId).stream().findFirst().orElse(Long.MAX_VALUE);
    long entry =
        t.agent().seen(chatId).stream()
            .filter(Seen::restoreNotice)
            .mapToLong(Seen::at)
            .findFirst()
            .orElse(Long.MAX_VALUE);
    long first = Math.min(notice, entry);
    return first == Long.MAX_VALUE ? -1 : first;
  }

  /**
   * The first customer message written after the restore (after the restore notice entry; without
   * one, the first to arrive after the RESTORED notice); null if none yet.
   */
  private static Seen firstCustomerMessageAfterRestore(Talk t) {
    List<Seen> after = customerMessagesAfter(t);
    return after.isEmpty() ? null : after.get(0);
  }

  private static int customerMessagesAfterRestore(Talk t) {
    return customerMessagesAfter(t).size();
  }

  private static List<Seen> customerMessagesAfter(Talk t) {
    long restored = restoredAt(t);
    if (restored < 0) {
      return List.of();
    }
    List<Seen> seen = t.agent().seen(t.customer().chatId);
    long noticeIndex =
        seen.stream().filter(Seen::restoreNotice).mapToLong(Seen::index).findFirst().orElse(-1);
    return seen.stream()
        .filter(Seen::customerMessage)
        .filter(s -> noticeIndex >= 0 ? s.index() > noticeIndex : s.at() >= restored)
        .toList();
  }

  private static List<String> customerTexts(Talk t) {
    return t.agent().seen(t.customer().chatId).stream()
        .filter(Seen::customerMessage)
        .map(Seen::text)
        .toList();
  }

  /** The agent was handed each entry once, in index order, and each customer message once. */
  private static void assertAgentSawEachEntryOnce(Talk t) {
    List<Long> indexes = t.agent().seen(t.customer().chatId).stream().map(Seen::index).toList();
    assertThat(indexes).as("entries at the agent in %s", t.customer().chatId).isSorted();
    assertThat(indexes)
        .as("entries at the agent in %s", t.customer().chatId)
        .doesNotHaveDuplicates();
    assertThat(customerTexts(t))
        .as("customer messages at the agent in %s", t.customer().chatId)
        .containsExactlyElementsOf(t.customerAcked());
  }

  /**
   * The customer's transcript: indexes from 1 in order with a gap only where the agent saw an
   * internal entry (the interaction server's routing data, kept from the customer), and each side's
   * acknowledged messages once, in order.
   */
  private static void assertCustomerTranscript(GmsCustomers customers, Talk t) throws Exception {
    List<JsonObject> all =
        customers.transcript(t.customer()).stream().map(JsonObject.class::cast).toList();
    java.util.Set<Long> internal =
        t.agent().seen(t.customer().chatId).stream()
            .map(Seen::entry)
            .filter(e -> "Int".equals(e.getString("visibility")))
            .map(e -> e.getLong("index"))
            .collect(java.util.stream.Collectors.toSet());
    long expected = 1;
    for (JsonObject e : all) {
      while (internal.contains(expected)) {
        expected++;
      }
      assertThat(e.getLong("index"))
          .as("indexes in %s: gaps only at internal entries", t.customer().chatId)
          .isEqualTo(expected);
      expected++;
    }
    assertThat(messagesFrom(all, "Client"))
        .as("customer messages in the transcript of %s", t.customer().chatId)
        .containsExactlyElementsOf(t.customerAcked());
    assertThat(messagesFrom(all, "Agent"))
        .as("agent messages in the transcript of %s", t.customer().chatId)
        .containsExactlyElementsOf(t.agentAcked());
  }

  private static List<String> messagesFrom(List<JsonObject> transcript, String type) {
    return transcript.stream()
        .filter(m -> "Message".equals(m.getString("type")))
        .filter(m -> type.equals(m.getJsonObject("from", new JsonObject()).getString("type")))
        .map(m -> m.getString("text"))
        .toList();
  }
}
