package dev.hachat.interaction.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.hachat.common.error.ChatException;
import dev.hachat.common.error.ErrorCode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouterTest {
  private static final long OFFER_TIMEOUT = 15_000;
  private final ManualScheduler clock = new ManualScheduler();
  private final List<Offer> offers = new ArrayList<>();
  private final List<String> revoked = new ArrayList<>();
  private final List<String> states = new ArrayList<>();
  private final List<String> stats = new ArrayList<>();
  private Router router = router(0);

  private Router router(long acwMs) {
    return new Router(
        new RouterSettings(OFFER_TIMEOUT, 3, acwMs),
        clock,
        new RouterEvents() {
          @Override
          public void offer(Offer offer) {
            offers.add(offer);
          }

          @Override
          public void revoked(Offer offer, String reason) {
            revoked.add(offer.agentId() + ":" + offer.chat().chatId() + ":" + reason);
          }

          @Override
          public void stateChanged(String agentId, AgentState state, String reason) {
            states.add(agentId + ":" + state.wireName() + ":" + reason);
          }

          @Override
          public void abandoned(String queue, long waitedMs) {
            stats.add("abandoned:" + queue);
          }

          @Override
          public void accepted(String queue, long waitedMs) {
            stats.add("accepted:" + queue + ":" + waitedMs);
          }
        });
  }

  private static ChatInfo chat(String id, String queue, long createdAt) {
    return new ChatInfo(id, queue, "Ann", "", Map.of(), createdAt, "cs1", "127.0.0.1:9081");
  }

  private void ready(String agent, int capacity, String... skills) {
    router.online(agent, capacity, Set.of(skills), Set.of());
    router.setState(agent, AgentState.READY, "");
  }

  private Offer last() {
    return offers.get(offers.size() - 1);
  }

  private void join(Offer o) {
    router.answer(o.agentId(), o.offerId(), true);
    router.acceptDone(o, AcceptOutcome.JOINED);
  }

  @Test
  void a_chat_is_offered_to_one_ready_agent_with_the_skill() {
    router.online("busy", 3, Set.of("sales"), Set.of()); // NotReady after login
    ready("other", 3, "billing");
    ready("a1", 3, "sales");
    ready("a2", 3, "sales");
    router.waiting(chat("c1", "sales", 1), 0);

    assertThat(offers).hasSize(1);
    assertThat(last().agentId()).isIn("a1", "a2");
    assertThat(last().chat().chatId()).isEqualTo("c1");
  }

  @Test
  void a_chat_transferred_to_an_agent_is_offered_to_it_first_and_then_to_the_queue() {
    ready("a1", 3);
    ready("a2", 3);
    ready("a3", 3);
    router.waiting(chat("c1", "q", 1), 0);
    Offer first = last();
    join(first);
    String target = first.agentId().equals("a3") ? "a2" : "a3";
    // The agent transfers it (it leaves, the router hears first), the instance announces it.
    router.left(first.agentId(), "c1");
    router.waiting(
        new ChatInfo("c1", "q", "Ann", "", Map.of(Router.TRANSFER_TO_KEY, target), 1, "cs1", "x:1"),
        0);
    assertThat(last().agentId()).isEqualTo(target);
    // The target lets it go: the queue's next agent, never the one that transferred it out.
    router.answer(target, last().offerId(), false);
    assertThat(last().agentId()).isNotIn(target, first.agentId());
  }

  @Test
  void an_agent_that_left_is_not_offered_a_chat_transferred_back_to_it() {
    ready("a1", 3);
    ready("a2", 3);
    router.waiting(chat("c1", "q", 1), 0);
    Offer first = last();
    join(first);
    router.left(first.agentId(), "c1");
    router.waiting(
        new ChatInfo(
            "c1", "q", "Ann", "", Map.of(Router.TRANSFER_TO_KEY, first.agentId()), 1, "cs1", "x:1"),
        0);
    assertThat(last().agentId()).isNotEqualTo(first.agentId());
  }

  @Test
  void an_offer_carries_the_chats_offers_and_rejects_over_every_time_it_waited() {
    ready("a1", 3);
    ready("a2", 3);
    router.waiting(chat("c1", "q", 1), 0);
    assertThat(last().chat().userData())
        .containsEntry(Router.OFFERS_KEY, "1")
        .containsEntry(Router.REJECTS_KEY, "0");
    router.answer(last().agentId(), last().offerId(), false);
    assertThat(last().chat().userData())
        .containsEntry(Router.OFFERS_KEY, "2")
        .containsEntry(Router.REJECTS_KEY, "1");
    join(last());
    // Back in the queue, with the counts its accept wrote to the chat: they go on from there.
    router.left(last().agentId(), "c1");
    router.waiting(
        new ChatInfo(
            "c1",
            "q",
            "Ann",
            "",
            Map.of(Router.OFFERS_KEY, "2", Router.REJECTS_KEY, "1"),
            1,
            "cs1",
            "x:1"),
        0);
    assertThat(last().chat().userData())
        .containsEntry(Router.OFFERS_KEY, "3")
        .containsEntry(Router.REJECTS_KEY, "1");
  }

  @Test
  void a_queue_lists_its_waiting_chats_in_the_order_they_are_offered() {
    router.waiting(chat("late", "q", 20), 0);
    router.waiting(chat("early", "q", 10), 0);
    router.waiting(chat("urgent", "q", 30), 5);
    assertThat(router.queues())
        .singleElement()
        .satisfies(
            q -> {
              assertThat(q.waiting()).isEqualTo(3);
              assertThat(q.chatIds()).containsExactly("urgent", "early", "late");
            });
  }

  @Test
  void capacity_holds_a_chat_back_until_a_seat_is_free() {
    ready("a1", 1);
    router.waiting(chat("c1", "q", 1), 0);
    join(last());
    router.waiting(chat("c2", "q", 2), 0);
    assertThat(offers).hasSize(1);

    router.chatEnded("a1", "c1", false);
    assertThat(offers).hasSize(2);
    assertThat(last().chat().chatId()).isEqualTo("c2");
  }

  @Test
  void a_rejected_or_timed_out_offer_goes_to_the_next_agent() {
    ready("a1", 3);
    ready("a2", 3);
    router.waiting(chat("c1", "q", 1), 0);
    Offer first = last();
    router.answer(first.agentId(), first.offerId(), false);
    Offer second = last();
    assertThat(second.agentId()).isNotEqualTo(first.agentId());

    clock.advance(OFFER_TIMEOUT);
    assertThat(revoked).containsExactly(second.agentId() + ":c1:timeout");
    assertThat(last().agentId()).isEqualTo(first.agentId()); // everybody passed: round again
    assertThatThrownBy(() -> router.answer(second.agentId(), second.offerId(), true))
        .isInstanceOf(ChatException.class);
  }

  @Test
  void an_agent_that_lets_three_offers_time_out_is_set_not_ready() {
    ready("a1", 3);
    for (int i = 0; i < 3; i++) {
      router.waiting(chat("c" + i, "q", i), 0);
      clock.advance(OFFER_TIMEOUT);
    }
    assertThat(states).containsExactly("a1:NotReady:" + Router.MISSED_OFFERS);
    assertThat(router.agentView("a1").state()).isEqualTo(AgentState.NOT_READY);
    int made = offers.size();
    clock.advance(OFFER_TIMEOUT * 3);
    assertThat(offers).hasSize(made);
  }

  @Test
  void the_least_busy_then_longest_idle_agent_gets_the_offer() {
    ready("a1", 3);
    clock.advance(10);
    ready("a2", 3);
    router.waiting(chat("c1", "q", 1), 0);
    assertThat(last().agentId()).isEqualTo("a1"); // idle longer
    join(last());
    router.waiting(chat("c2", "q", 2), 0);
    assertThat(last().agentId()).isEqualTo("a2"); // less busy
  }

  /** a1 takes c1, a2 logs in; then c1 comes back to the queue after {@code handBack}. */
  private void c1ReturnsAfter(Runnable handBack) {
    ready("a1", 3);
    router.waiting(chat("c1", "q", 1), 0);
    join(last());
    ready("a2", 3);
    handBack.run();
    router.waiting(chat("c1", "q", 1), 0);
  }

  @Test
  void a_chat_back_in_the_queue_goes_to_its_last_agent_first() {
    c1ReturnsAfter(() -> router.released("a1", "c1"));
    assertThat(last().agentId()).isEqualTo("a1");
  }

  @Test
  void a_last_agent_that_rejects_its_returning_chat_passes_it_to_the_next() {
    c1ReturnsAfter(() -> router.released("a1", "c1"));
    router.answer("a1", last().offerId(), false);
    assertThat(last().agentId()).isEqualTo("a2");
  }

  @Test
  void a_chat_its_agent_left_goes_to_the_others_first_and_back_to_it_last() {
    c1ReturnsAfter(() -> router.left("a1", "c1"));
    assertThat(last().agentId()).isEqualTo("a2");
    router.setState("a2", AgentState.NOT_READY, "break");
    router.answer("a2", last().offerId(), false);
    assertThat(last().agentId()).isEqualTo("a1"); // nobody else takes it: back to a1
  }

  @Test
  void oldest_first_within_a_priority_and_higher_priority_first() {
    router.waiting(chat("late", "q", 30), 0);
    router.waiting(chat("early", "q", 10), 0);
    router.waiting(chat("vip", "q", 50), 5);
    ready("a1", 1);
    assertThat(last().chat().chatId()).isEqualTo("vip");
    router.answer("a1", last().offerId(), true);
    router.acceptDone(last(), AcceptOutcome.JOINED);
    router.chatEnded("a1", "vip", false);
    assertThat(last().chat().chatId()).isEqualTo("early");
  }

  @Test
  void a_customer_leaving_while_offered_revokes_the_offer_and_counts_an_abandon() {
    ready("a1", 3);
    router.waiting(chat("c1", "q", 1), 0);
    router.gone("c1", false);
    assertThat(revoked).containsExactly("a1:c1:gone");
    assertThat(stats).containsExactly("abandoned:q");
    assertThat(router.queues()).allMatch(q -> q.waiting() == 0);
  }

  @Test
  void an_accept_under_way_is_not_taken_back_by_a_timeout_or_a_gone() {
    ready("a1", 3);
    router.waiting(chat("c1", "q", 1), 0);
    Offer o = last();
    router.answer("a1", o.offerId(), true);
    clock.advance(OFFER_TIMEOUT * 2);
    router.gone("c1", true); // the instance says it was accepted: by this very accept
    assertThat(revoked).isEmpty();
    router.acceptDone(o, AcceptOutcome.JOINED);
    assertThat(router.agentView("a1").chats()).isEqualTo(1);
    assertThat(stats).hasSize(1).first().asString().startsWith("accepted:q:");
  }

  @Test
  void a_failed_accept_leaves_the_chat_waiting_and_it_is_offered_again() {
    ready("a1", 3);
    router.waiting(chat("c1", "q", 1), 0);
    Offer o = last();
    router.answer("a1", o.offerId(), true);
    router.acceptDone(o, AcceptOutcome.FAILED);
    assertThat(offers).hasSize(2);
    assertThat(last().chat().chatId()).isEqualTo("c1");
  }

  @Test
  void a_dropped_agent_loses_its_offer_to_the_next_agent() {
    ready("a1", 3);
    router.waiting(chat("c1", "q", 1), 0);
    ready("a2", 3);
    router.offline("a1");
    assertThat(revoked).containsExactly("a1:c1:offline");
    assertThat(last().agentId()).isEqualTo("a2");
  }

  @Test
  void after_call_work_follows_a_close_and_ends_by_itself() {
    router = router(5_000);
    ready("a1", 1);
    router.waiting(chat("c1", "q", 1), 0);
    join(last());
    router.waiting(chat("c2", "q", 2), 0);
    router.chatEnded("a1", "c1", true);
    assertThat(router.agentView("a1").state()).isEqualTo(AgentState.AFTER_CALL_WORK);
    assertThat(offers).hasSize(1);
    clock.advance(5_000);
    assertThat(router.agentView("a1").state()).isEqualTo(AgentState.READY);
    assertThat(offers).hasSize(2);
  }

  @Test
  void an_offer_is_never_out_to_two_agents_at_once() {
    for (int i = 0; i < 5; i++) {
      ready("a" + i, 2);
    }
    for (int i = 0; i < 20; i++) {
      router.waiting(chat("c" + i, "q", i), 0);
    }
    assertThat(offers).hasSize(5);
    assertThat(offers.stream().map(o -> o.chat().chatId()).distinct()).hasSize(5);
    for (Offer o : List.copyOf(offers)) {
      join(o);
    }
    // each accept frees the agent for its next offer, never the same chat twice
    assertThat(offers.stream().map(o -> o.chat().chatId()).distinct()).hasSize(offers.size());
  }

  @Test
  void a_reject_between_timeouts_breaks_the_row_of_missed_offers() {
    ready("a1", 3);
    router.waiting(chat("c0", "q", 0), 0);
    clock.advance(OFFER_TIMEOUT); // missed 1
    router.waiting(chat("c1", "q", 1), 0);
    clock.advance(OFFER_TIMEOUT); // missed 2
    router.answer("a1", last().offerId(), false); // an answer: the row ends
    clock.advance(OFFER_TIMEOUT); // missed 1 again
    assertThat(router.agentView("a1").state()).isEqualTo(AgentState.READY);
  }

  // ---- leadership (several interaction servers) ----------------------------------------------

  @Test
  void a_follower_offers_nothing_and_a_new_leader_offers_under_its_epoch() {
    router.follow();
    router.waiting(chat("c1", "sales", 1), 0);
    ready("ann", 3, "sales");
    assertThat(offers).isEmpty();
    router.lead(7, () -> true);
    ready("ann", 3, "sales");
    assertThat(offers).hasSize(1);
    assertThat(last().epoch()).isEqualTo(7);
  }

  @Test
  void no_offer_while_the_lease_is_not_valid_and_a_nudge_offers_once_it_is_again() {
    boolean[] valid = {false};
    router.lead(2, () -> valid[0]);
    ready("ann", 3, "sales");
    router.waiting(chat("c1", "sales", 1), 0);
    assertThat(offers).isEmpty();
    valid[0] = true;
    router.nudge();
    assertThat(offers).extracting(o -> o.chat().chatId()).containsExactly("c1");
  }

  @Test
  void a_deposed_router_withdraws_its_offers_forgets_its_agents_and_keeps_the_queue() {
    ready("ann", 3, "sales");
    router.waiting(chat("c1", "sales", 1), 0);
    assertThat(offers).hasSize(1);
    router.follow();
    assertThat(revoked).containsExactly("ann:c1:rerouted");
    assertThat(router.agents()).isEmpty();
    assertThat(router.queues()).singleElement().satisfies(q -> assertThat(q.waiting()).isOne());
    router.lead(3, () -> true);
    ready("bob", 3, "sales");
    assertThat(last().agentId()).isEqualTo("bob");
    assertThat(last().epoch()).isEqualTo(3);
  }

  @Test
  void the_agents_of_a_server_that_went_away_go_offline_then_are_forgotten() {
    router.online("ann", "ixn2", 3, Set.of("sales"), Set.of(), AgentState.READY, "");
    router.online("bob", "", 3, Set.of("sales"), Set.of(), AgentState.READY, "");
    assertThat(router.homeOf("ann")).isEqualTo("ixn2");
    router.waiting(chat("c1", "sales", 1), 0);
    String first = last().agentId();
    router.homeGone("ixn2");
    if (first.equals("ann")) {
      assertThat(last().agentId()).as("ann's offer moved on").isEqualTo("bob");
    }
    assertThat(router.agentView("ann").online()).isFalse();
    router.forgetHome("ixn2");
    assertThat(router.agents()).extracting(AgentView::agentId).containsExactly("bob");
  }

  @Test
  void an_accept_while_the_lease_is_not_valid_is_refused_and_the_offer_stays_out() {
    boolean[] valid = {true};
    router.lead(4, () -> valid[0]);
    ready("ann", 3, "sales");
    router.waiting(chat("c1", "sales", 1), 0);
    Offer o = last();
    valid[0] = false;
    assertThatThrownBy(() -> router.answer("ann", o.offerId(), true))
        .isInstanceOfSatisfying(
            ChatException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.INSTANCE_UNAVAILABLE));
    valid[0] = true;
    assertThat(router.answer("ann", o.offerId(), true)).isSameAs(o);
  }

  @Test
  void
      an_accept_whose_outcome_never_comes_fails_after_the_deadline_and_the_chat_is_offered_again() {
    ready("ann", 3, "sales");
    router.waiting(chat("c1", "sales", 1), 0);
    router.answer("ann", last().offerId(), true);
    clock.advance(Router.ACCEPT_DEADLINE_MS - 1);
    assertThat(offers).hasSize(1);
    clock.advance(1);
    assertThat(offers).hasSize(2);
    assertThat(last().chat().chatId()).isEqualTo("c1");
  }

  @Test
  void a_chat_gone_while_its_accept_was_under_way_is_dropped_when_the_accept_fails() {
    ready("ann", 3, "sales");
    router.waiting(chat("c1", "sales", 1), 0);
    Offer o = last();
    router.answer("ann", o.offerId(), true);
    router.gone("c1", false);
    router.acceptDone(o, AcceptOutcome.FAILED);
    assertThat(offers).hasSize(1);
    assertThat(router.queues()).allSatisfy(q -> assertThat(q.waiting()).isZero());
  }

  @Test
  void a_registration_from_the_home_replaces_the_chats_the_router_knew() {
    router.online("ann", "ixn2", 1, Set.of("sales"), Set.of("old"), AgentState.READY, "");
    router.waiting(chat("c1", "sales", 1), 0);
    assertThat(offers).as("its one seat is taken").isEmpty();
    router.online("ann", "ixn2", 1, Set.of("sales"), Set.of(), AgentState.READY, "");
    assertThat(offers).as("the chat ended while the router did not hear").hasSize(1);
  }
}
