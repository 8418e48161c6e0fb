package dev.hachat.systemtest;

import static dev.hachat.testing.Await.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.RoutingCheck.Figures;
import dev.hachat.systemtest.RoutingCheck.Tolerances;
import dev.hachat.systemtest.RoutingCheck.Verdict;
import dev.hachat.systemtest.RoutingHistory.Kind;
import dev.hachat.systemtest.RoutingHistory.Profile;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Push routing with real processes (issue 15): Cassandra, three instances, a web API server with
 * two chat services ({@code sales}, {@code billing}) and two interaction servers, one of them
 * routing (the lease), the other registering its agents with it. Twenty agents of capacity 3 log in
 * over the agent API, half at each server, split by skills (8 sales, 6 billing, 6 both); 200
 * customers ask for a chat over GMS REST, 20 a second, 3 in 5 for sales, and each sends one
 * message. The agents accept most offers, reject about 1 in 8 and let about 1 in 12 time out (the
 * offer timeout is 2 s); in a chat they reply once and close it after a short talk. {@link
 * RoutingCheck} then proves over every agent's history and every customer's transcript that each
 * chat was accepted exactly once, never offered to two agents at once (strictly after a reject; 250
 * ms allowed after a timeout, for the server's two WebSockets delivering in their own time), never
 * waited more than 1 s (+250 ms measurement tolerance) while an agent of its service was free, and
 * moved on after a reject or timeout. Prints a {@code ROUTING RESULT} line with the figures.
 */
@Tag("system")
class InteractionRoutingIT {
  static final int CHATS = 200;
  static final long ARRIVAL_EVERY_MS = 50;
  static final Tolerances TOLERANCES = new Tolerances(250, 250);
  static final SimAgent.Behaviour BEHAVIOUR = new SimAgent.Behaviour(0.12, 0.08, 100, 300, 1500);
  static final Map<String, Profile> AGENTS = agents();

  @RegisterExtension
  static final ClusterExtension cluster =
      ClusterExtension.builder()
          .sharedCassandra("interaction_routing")
          .instances(3)
          // Transcripts stay readable after the agents close the chats, until the check reads them.
          .instanceProperty("hachat.session.closed-session-retention", "10m")
          .webApiServers(1)
          .webApiConfig("services:\n  sales:\n    user-data: {}\n  billing:\n    user-data: {}\n")
          .interactionServers(2)
          .interactionProperty("ixn.routing.offer-timeout", "2s")
          .interactionProperty("ixn.routing.default-capacity", "3")
          .interactionConfig(agentsYaml())
          .build();

  /** a01..a08 serve sales, a09..a14 billing, a15..a20 both; capacity 3 each. */
  private static Map<String, Profile> agents() {
    Map<String, Profile> m = new TreeMap<>();
    for (int i = 1; i <= 20; i++) {
      Set<String> skills =
          i <= 8 ? Set.of("sales") : i <= 14 ? Set.of("billing") : Set.of("sales", "billing");
      m.put(String.format("a%02d", i), new Profile(3, skills));
    }
    return m;
  }

  private static String agentsYaml() {
    StringBuilder y = new StringBuilder("agents:\n");
    AGENTS.forEach(
        (id, p) ->
            y.append("  ")
                .append(id)
                .append(": {skills: [")
                .append(String.join(", ", new java.util.TreeSet<>(p.skills())))
                .append("]}\n"));
    return y.toString();
  }

  @Test
  void each_chat_goes_to_one_free_agent_at_a_time_and_is_accepted_once() throws Exception {
    long started = System.nanoTime();
    RoutingHistory history = new RoutingHistory();
    List<SimAgent> agents = new ArrayList<>();
    for (String id : AGENTS.keySet()) {
      agents.add(new SimAgent(cluster.vertx(), id, history, BEHAVIOUR));
    }
    Awaitility.await("one interaction server routes")
        .atMost(Duration.ofSeconds(20))
        .until(() -> InteractionRouters.of(cluster).size() == 1);
    List<Future<Void>> logins = new ArrayList<>();
    for (int i = 0; i < agents.size(); i++) {
      logins.add(agents.get(i).start(cluster.interaction(i % 2).port()));
    }
    await(Future.all(logins), Duration.ofSeconds(30));

    GmsCustomers customers = new GmsCustomers(cluster.vertx());
    Map<String, GmsCustomers.Chat> chats = new ConcurrentHashMap<>();
    ScheduledExecutorService pool = Executors.newScheduledThreadPool(16);
    List<ScheduledFuture<?>> arrivals = new ArrayList<>();
    try {
      for (int i = 0; i < CHATS; i++) {
        String service = i % 5 < 3 ? "sales" : "billing";
        String nickname = "Customer" + i;
        arrivals.add(
            pool.schedule(
                () -> {
                  GmsCustomers.Chat c =
                      customers.requestChat(cluster.webApi(0).port(), service, nickname);
                  history.arrived(c.chatId, service);
                  chats.put(c.chatId, c);
                  customers.send(c, "c-1", customerText(c.chatId));
                  return null;
                },
                i * ARRIVAL_EVERY_MS,
                TimeUnit.MILLISECONDS));
      }
      for (ScheduledFuture<?> a : arrivals) {
        a.get(2, TimeUnit.MINUTES);
      }
      try {
        Awaitility.await("every chat answered and closed")
            .atMost(Duration.ofMinutes(2))
            .pollInterval(Duration.ofMillis(200))
            .until(() -> history.count(Kind.CLOSED) >= CHATS);
      } catch (ConditionTimeoutException e) {
        System.out.println("not every chat was closed: " + e.getMessage()); // the check says why
      }
      long routed = System.nanoTime();

      Map<String, List<String>> joined = new ConcurrentHashMap<>();
      List<String> problems = new ArrayList<>();
      List<java.util.concurrent.Future<?>> reads = new ArrayList<>();
      for (GmsCustomers.Chat c : chats.values()) {
        reads.add(pool.submit(() -> readTranscript(customers, c, joined, problems)));
      }
      for (java.util.concurrent.Future<?> r : reads) {
        r.get(2, TimeUnit.MINUTES);
      }

      Verdict v = RoutingCheck.check(history, AGENTS, joined, TOLERANCES);
      Figures f = v.figures();
      System.out.printf(
          "ROUTING RESULT chats=%d agents=%d offers=%d accepted=%d rejected=%d timed_out=%d"
              + " moved_on=%d max_wait_while_free_ms=%d max_offer_overlap_ms=%d"
              + " answer_ms p50=%d max=%d routing_s=%.1f total_s=%.1f problems=%d%n",
          f.chats(),
          AGENTS.size(),
          f.offers(),
          f.accepted(),
          f.rejected(),
          f.timedOut(),
          f.movedOn(),
          f.maxWaitWhileFreeMs(),
          f.maxOverlapMs(),
          f.p50AnswerMs(),
          f.maxAnswerMs(),
          (routed - started) / 1e9,
          (System.nanoTime() - started) / 1e9,
          v.problems().size() + problems.size());
      v.problems().stream().limit(30).forEach(p -> System.out.println("ROUTING PROBLEM " + p));
      v.problems().stream().limit(5).forEach(p -> printHistory(history, p.split(":")[0]));
      problems.stream().limit(30).forEach(p -> System.out.println("TRANSCRIPT PROBLEM " + p));

      assertThat(customers.failures.get()).as("failed customer requests").isZero();
      assertThat(chats).hasSize(CHATS);
      assertThat(v.problems()).as("routing check").isEmpty();
      assertThat(problems).as("transcripts").isEmpty();
      assertThat(f.rejected()).as("offers rejected").isPositive();
      assertThat(f.timedOut()).as("offers timed out").isPositive();
      assertThat(f.movedOn()).as("rejected or timed-out chats moved on").isPositive();
    } finally {
      pool.shutdownNow();
      for (SimAgent a : agents) {
        a.stop();
      }
    }
  }

  /** What happened to one chat, in ms since the test's first event, for a failure's output. */
  private static void printHistory(RoutingHistory history, String chatId) {
    List<RoutingHistory.Event> all = history.events();
    long origin = all.stream().mapToLong(RoutingHistory.Event::at).min().orElse(0);
    RoutingHistory.Arrival a = history.arrivals().get(chatId);
    System.out.printf(
        "  %s arrived at %d ms%n", chatId, a == null ? -1 : (a.at() - origin) / 1_000_000);
    all.stream()
        .filter(e -> chatId.equals(e.chatId()))
        .sorted(java.util.Comparator.comparingLong(RoutingHistory.Event::at))
        .forEach(
            e ->
                System.out.printf(
                    "  %8.1f ms %s %s %s %s%n",
                    (e.at() - origin) / 1e6, e.agentId(), e.kind(), e.offerId(), e.detail()));
  }

  /**
   * The customer's whole transcript: the agents that joined (for the check), and its two messages
   * once each.
   */
  private static Void readTranscript(
      GmsCustomers customers,
      GmsCustomers.Chat c,
      Map<String, List<String>> joined,
      List<String> problems)
      throws Exception {
    JsonArray t = customers.transcript(c);
    List<String> agentsJoined = new ArrayList<>();
    List<String> messages = new ArrayList<>();
    for (Object o : t) {
      JsonObject m = (JsonObject) o;
      String fromType = m.getJsonObject("from", new JsonObject()).getString("type");
      if ("ParticipantJoined".equals(m.getString("type")) && "Agent".equals(fromType)) {
        agentsJoined.add(m.getJsonObject("from").getString("nickname"));
      } else if ("Message".equals(m.getString("type"))) {
        messages.add(m.getString("text"));
      }
    }
    joined.put(c.chatId, agentsJoined);
    List<String> expected = List.of(customerText(c.chatId), SimAgent.replyText(c.chatId));
    if (messages.size() != 2 || !messages.containsAll(expected)) {
      synchronized (problems) {
        problems.add(c.chatId + ": messages " + messages + ", expected each of " + expected);
      }
    }
    return null;
  }

  static String customerText(String chatId) {
    return "customer question in " + chatId;
  }
}
