package dev.hachat.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.hachat.systemtest.RoutingCheck.Tolerances;
import dev.hachat.systemtest.RoutingCheck.Verdict;
import dev.hachat.systemtest.RoutingHistory.Arrival;
import dev.hachat.systemtest.RoutingHistory.Event;
import dev.hachat.systemtest.RoutingHistory.Kind;
import dev.hachat.systemtest.RoutingHistory.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The routing checker on synthetic histories: it passes clean ones and reports each fault. */
class RoutingCheckTest {
  private static final Tolerances TOLERANCES = new Tolerances(250, 50);
  private static final Map<String, Profile> AGENTS =
      Map.of(
          "a1", new Profile(3, Set.of("sales")),
          "a2", new Profile(3, Set.of("sales", "billing")),
          "b1", new Profile(1, Set.of("billing")));

  private final RoutingHistory history = new RoutingHistory();
  private final Map<String, List<String>> joined = new HashMap<>();

  private void at(long ms, String agent, Kind kind, String chatId, String offerId, String detail) {
    history.record(new Event(nanos(ms), agent, kind, chatId, offerId, detail));
  }

  private void at(long ms, String agent, Kind kind, String chatId, String offerId) {
    at(ms, agent, kind, chatId, offerId, null);
  }

  private void everyoneReadyAt0() {
    for (String a : AGENTS.keySet()) {
      at(0, a, Kind.READY, null, null);
    }
  }

  private void arrives(long ms, String chatId, String queue) {
    history.arrived(new Arrival(chatId, queue, nanos(ms)));
  }

  private void offer(long ms, String agent, String chatId, String offerId) {
    at(ms, agent, Kind.OFFER, chatId, offerId);
  }

  private void accept(long ms, String agent, String chatId, String offerId) {
    at(ms, agent, Kind.ACCEPT_SENT, chatId, offerId);
    at(ms + 20, agent, Kind.ACCEPTED, chatId, offerId);
  }

  /** Offered at {@code ms}, accepted at {@code acceptMs}; the transcript shows that agent. */
  private void taken(long ms, long acceptMs, String agent, String chatId, String offerId) {
    offer(ms, agent, chatId, offerId);
    accept(acceptMs, agent, chatId, offerId);
    joined.put(chatId, List.of(agent));
  }

  private void reject(long ms, String agent, String chatId, String offerId) {
    at(ms, agent, Kind.REJECT_SENT, chatId, offerId);
    at(ms + 5, agent, Kind.REJECTED, chatId, offerId);
  }

  private void timesOut(long ms, String agent, String chatId, String offerId) {
    at(ms, agent, Kind.REVOKED, chatId, offerId, "timeout");
  }

  private Verdict check() {
    return RoutingCheck.check(history, AGENTS, joined, TOLERANCES);
  }

  /** c1 (sales): a1 rejects, a2 lets it time out, a1 takes it; c2 (billing) goes to b1. */
  private void cleanRun() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(110, "a1", "c1", "o1");
    reject(300, "a1", "c1", "o1");
    offer(310, "a2", "c1", "o2");
    timesOut(2310, "a2", "c1", "o2");
    offer(2312, "a1", "c1", "o3");
    accept(2400, "a1", "c1", "o3");
    at(5000, "a1", Kind.CLOSED, "c1", null);
    joined.put("c1", List.of("a1"));
    arrives(200, "c2", "billing");
    taken(205, 300, "b1", "c2", "o4");
  }

  @Test
  void passes_a_clean_history_with_a_reject_and_a_timeout() {
    cleanRun();
    Verdict v = check();
    assertThat(v.problems()).isEmpty();
    assertThat(v.figures().chats()).isEqualTo(2);
    assertThat(v.figures().offers()).isEqualTo(4);
    assertThat(v.figures().rejected()).isEqualTo(1);
    assertThat(v.figures().timedOut()).isEqualTo(1);
    assertThat(v.figures().movedOn()).isEqualTo(2);
  }

  @Test
  void reports_a_chat_offered_to_two_agents_at_once() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(110, "a1", "c1", "o1");
    offer(200, "a2", "c1", "o2"); // a1's offer is still out
    accept(300, "a2", "c1", "o2");
    timesOut(2110, "a1", "c1", "o1");
    joined.put("c1", List.of("a2"));
    assertThat(check().problems())
        .singleElement()
        .asString()
        .contains("c1", "offered to a2 while its offer to a1 was out");
  }

  @Test
  void tolerates_the_skew_of_two_websockets_but_not_more() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(110, "a1", "c1", "o1");
    offer(2100, "a2", "c1", "o2"); // a1's revoke arrives 10 ms after a2's offer
    timesOut(2110, "a1", "c1", "o1");
    accept(2200, "a2", "c1", "o2");
    joined.put("c1", List.of("a2"));
    assertThat(check().problems()).isEmpty();
    assertThat(check().figures().maxOverlapMs()).isEqualTo(10);
  }

  @Test
  void allows_no_overlap_after_a_reject_the_router_took() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(110, "a1", "c1", "o1");
    offer(200, "a2", "c1", "o2"); // before a1's reject was even sent
    reject(210, "a1", "c1", "o1");
    accept(300, "a2", "c1", "o2");
    joined.put("c1", List.of("a2"));
    assertThat(check().problems())
        .singleElement()
        .asString()
        .contains("offered to a2 while its offer to a1 was out (10 ms at once)");
  }

  @Test
  void reports_a_chat_accepted_twice() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(110, "a1", "c1", "o1");
    accept(200, "a1", "c1", "o1");
    offer(300, "a2", "c1", "o2");
    accept(400, "a2", "c1", "o2");
    joined.put("c1", List.of("a1", "a2"));
    assertThat(check().problems())
        .anyMatch(p -> p.contains("c1: accepted 2 times (by [a1, a2])"))
        .anyMatch(p -> p.contains("c1: agents joined in the customer's transcript [a1, a2]"));
  }

  @Test
  void reports_a_transcript_that_names_another_agent_than_the_accept() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(110, "a1", "c1", "o1");
    accept(200, "a1", "c1", "o1");
    joined.put("c1", List.of("a2"));
    assertThat(check().problems()).singleElement().asString().contains("[a2], accepted by [a1]");
  }

  @Test
  void reports_a_chat_left_waiting_while_an_agent_was_free() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(2600, "a1", "c1", "o1"); // a1 and a2 were Ready with free seats since 0
    accept(2700, "a1", "c1", "o1");
    joined.put("c1", List.of("a1"));
    assertThat(check().problems())
        .singleElement()
        .asString()
        .contains("c1: waited 2500 ms in queue sales while [a1, a2] could take it");
  }

  @Test
  void an_agent_at_capacity_or_not_ready_is_not_free() {
    at(0, "a1", Kind.READY, null, null);
    at(0, "b1", Kind.READY, null, null); // serves billing only
    arrives(10, "c0", "sales");
    taken(20, 30, "a1", "c0", "o0");
    at(60, "a1", Kind.NOT_READY, null, null);
    arrives(100, "c1", "sales"); // waits while a1 is NotReady: fine
    at(3000, "a1", Kind.READY, null, null);
    taken(3010, 3100, "a1", "c1", "o1");
    arrives(3200, "c2", "billing");
    taken(3210, 3220, "b1", "c2", "o2");
    arrives(3300, "c3", "billing"); // b1 (capacity 1) is busy until it closes c2
    at(6000, "b1", Kind.CLOSED, "c2", null);
    taken(6010, 6100, "b1", "c3", "o3");
    assertThat(check().problems()).isEmpty();
    assertThat(check().figures().maxWaitWhileFreeMs()).isLessThan(100);
  }

  @Test
  void reports_a_rejected_chat_offered_again_to_the_same_agent_while_another_was_free() {
    everyoneReadyAt0();
    arrives(600, "c1", "sales");
    offer(610, "a1", "c1", "o1");
    reject(700, "a1", "c1", "o1");
    offer(710, "a1", "c1", "o2"); // a2 was free and had not passed it
    accept(800, "a1", "c1", "o2");
    joined.put("c1", List.of("a1"));
    assertThat(check().problems())
        .singleElement()
        .asString()
        .contains("c1: offered to a1 again after it passed it, while a2 was free");
  }

  @Test
  void reports_a_chat_never_accepted() {
    everyoneReadyAt0();
    arrives(100, "c1", "sales");
    offer(110, "a1", "c1", "o1");
    reject(200, "a1", "c1", "o1");
    assertThat(check().problems())
        .anyMatch(p -> p.contains("c1: accepted 0 times"))
        .anyMatch(p -> p.contains("c1: waited for ever in queue sales"));
  }

  private static long nanos(long ms) {
    return TimeUnit.MILLISECONDS.toNanos(ms) + 1_000_000_000L;
  }
}
